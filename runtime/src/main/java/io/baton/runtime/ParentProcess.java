package io.baton.runtime;

import java.util.Optional;

/**
 * When a process is started by a test, the demo or the benchmark, it is given {@code
 * -Dbaton.parent-pid}; it then exits in order when that parent dies, even if the parent was
 * killed and could not stop its children. Never set in production.
 */
public final class ParentProcess {
  public static final String PROPERTY = "baton.parent-pid";

  private ParentProcess() {}

  public static void exitWithParent() {
    Optional.ofNullable(System.getProperty(PROPERTY))
        .map(Long::parseLong)
        .flatMap(ProcessHandle::of)
        .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(1)));
  }
}

package io.baton.coordinator;

import io.baton.runtime.ParentProcess;
import io.micronaut.runtime.Micronaut;

/** Starts the coordinator: {@code java -jar baton-coordinator.jar}; configuration in README. */
public final class CoordinatorMain {
  private CoordinatorMain() {}

  public static void main(String[] args) {
    ParentProcess.exitWithParent();
    Micronaut.build(args).mainClass(CoordinatorMain.class).banner(false).start();
  }
}

package io.baton.testkit.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a main class in a child JVM with this JVM's classpath, so tests can SIGKILL or SIGSTOP
 * an agent or a coordinator for real.
 *
 * <p>The child gets {@code -Dbaton.parent-pid=<this JVM's pid>} ({@link #PARENT_PID_PROPERTY})
 * unless {@link #withoutParentPid()} is called. A child that wants to die with its parent (even
 * when the parent is SIGKILLed and no shutdown hook runs) watches that pid itself, e.g.
 * {@code ProcessHandle.of(pid).ifPresent(p -> p.onExit().thenRun(() -> System.exit(1)))}; the
 * agents and coordinator do so only when the property is set, never in production.
 *
 * <p>Default JVM options keep children small and quick to start on a 2-core machine: {@value
 * #DEFAULT_JVM_OPTIONS_TEXT}.
 */
public final class JvmLauncher {
  /** System property carrying the pid of the JVM that launched the child. */
  public static final String PARENT_PID_PROPERTY = "baton.parent-pid";

  static final String DEFAULT_JVM_OPTIONS_TEXT =
      "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of(DEFAULT_JVM_OPTIONS_TEXT.split(" "));

  private final String mainClass;
  private String name;
  private final List<String> args = new ArrayList<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final Map<String, String> systemProperties = new LinkedHashMap<>();
  private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
  private String classpath = System.getProperty("java.class.path");
  private Optional<String> namespace = Optional.empty();
  private Optional<Path> logFile = Optional.empty();
  private Optional<Boolean> echo = Optional.empty();
  private boolean parentPid = true;

  private JvmLauncher(String mainClass) {
    this.mainClass = mainClass;
    this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
  }

  public static JvmLauncher mainClass(String className) {
    return new JvmLauncher(className);
  }

  public static JvmLauncher mainClass(Class<?> mainClass) {
    return new JvmLauncher(mainClass.getName());
  }

  /** Short name for log lines and the log file; the simple class name by default. */
  public JvmLauncher name(String name) {
    this.name = name;
    return this;
  }

  public JvmLauncher args(String... args) {
    this.args.addAll(List.of(args));
    return this;
  }

  public JvmLauncher args(List<String> args) {
    this.args.addAll(args);
    return this;
  }

  /** An environment variable of the child: the place for secrets, unlike arguments. */
  public JvmLauncher env(String variable, String value) {
    environment.put(variable, value);
    return this;
  }

  public JvmLauncher systemProperty(String name, String value) {
    systemProperties.put(name, value);
    return this;
  }

  /** Replaces the {@linkplain #DEFAULT_JVM_OPTIONS default JVM options}. */
  public JvmLauncher jvmOptions(List<String> options) {
    this.jvmOptions = List.copyOf(options);
    return this;
  }

  public JvmLauncher classpath(String classpath) {
    this.classpath = classpath;
    return this;
  }

  /** Runs the child inside a network namespace ({@code ip netns exec}); needs root. */
  public JvmLauncher inNamespace(String namespace) {
    this.namespace = Optional.of(namespace);
    return this;
  }

  public JvmLauncher withoutParentPid() {
    this.parentPid = false;
    return this;
  }

  public JvmLauncher logFile(Path file) {
    this.logFile = Optional.of(file);
    return this;
  }

  public JvmLauncher echo(boolean echo) {
    this.echo = Optional.of(echo);
    return this;
  }

  /** The full command line the child would be started with. */
  public List<String> command() {
    List<String> command = new ArrayList<>();
    if (namespace.isPresent()) {
      command.addAll(List.of(Executables.ip().toString(), "netns", "exec", namespace.get()));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    if (parentPid) {
      command.add("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    }
    systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  public ChildProcess start() {
    ChildProcess.Builder builder = ChildProcess.builder(name, command()).env(environment);
    logFile.ifPresent(builder::logFile);
    echo.ifPresent(builder::echo);
    return builder.start();
  }
}

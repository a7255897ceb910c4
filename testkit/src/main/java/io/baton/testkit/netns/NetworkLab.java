package io.baton.testkit.netns;

import io.baton.testkit.MissingToolException;
import io.baton.testkit.cleanup.ShutdownCleanup;
import io.baton.testkit.process.Command;
import io.baton.testkit.process.Executables;
import io.baton.testkit.process.Processes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux network namespaces joined by a bridge, for cutting a node off the network for real.
 *
 * <p>Layout, for lab number {@code k} (1-250, the first free one, so labs in concurrent JVMs do
 * not collide): a bridge {@code bt<k>br} in the root namespace with address {@code 10.77.<k>.1/24}
 * (the test JVM reaches the namespaces through it, and a broker can listen on it), and per
 * namespace {@code bt<k>n<i>} a veth pair: {@code eth0} inside with {@code 10.77.<k>.<10+i>/24},
 * {@code bt<k>v<i>} on the bridge. Namespaces get no default route: they reach the subnet only.
 *
 * <p>Before any address exists, a guard route {@code blackhole 10.77.<k>.0/24 metric 4000} is
 * added in the root namespace: should the bridge go away while something still sends to the
 * subnet, packets are dropped here instead of leaving the machine by its default route.
 *
 * <p>{@link #cut(Namespace)} sets the namespace's bridge-side veth down: the namespace loses all
 * connectivity (to other namespaces, the root namespace and the broker) while its processes keep
 * running with their sockets open, as with a pulled cable. {@link #heal(Namespace)} undoes it.
 *
 * <p>Needs root and iproute2. A lab left behind by a killed JVM is reclaimed by the next lab that
 * wants its number. {@link #close()} kills every process still inside the namespaces, then
 * removes namespaces, veths, bridge and guard route.
 */
public final class NetworkLab implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkLab.class);
  private static final int MAX_LABS = 250;
  private static final String GUARD_METRIC = "4000";
  private static final String OWNER_ALIAS = "baton-testkit pid ";
  private static final Pattern ALIAS = Pattern.compile("alias " + OWNER_ALIAS + "(\\d+)");

  private final String ip;
  private final int number;
  private final List<Namespace> namespaces;
  private final ShutdownCleanup.Registration cleanup;
  private boolean closed;

  private NetworkLab(String ip, int number, List<Namespace> namespaces) {
    this.ip = ip;
    this.number = number;
    this.namespaces = List.copyOf(namespaces);
    this.cleanup = ShutdownCleanup.register(
        ShutdownCleanup.Stage.NETWORK, "network lab " + subnet(), this::destroy);
  }

  /**
   * Creates a lab with {@code count} namespaces.
   *
   * @throws MissingToolException when not running as root or without iproute2
   */
  public static NetworkLab create(int count) {
    if (count < 1 || count > 200) {
      throw new IllegalArgumentException("1 to 200 namespaces, not " + count);
    }
    if (!Executables.runningAsRoot()) {
      throw new MissingToolException("network namespaces need root: run the tests as root "
          + "(as CI does), e.g. in the project's dev container");
    }
    String ip = Executables.ip().toString();
    long started = System.nanoTime();
    for (int k = 1; k <= MAX_LABS; k++) {
      Optional<NetworkLab> lab = tryCreate(ip, k, count);
      if (lab.isPresent()) {
        log.info("network lab {} with {} namespaces up in {} ms", lab.get().subnet(), count,
            Duration.ofNanos(System.nanoTime() - started).toMillis());
        return lab.get();
      }
    }
    throw new IllegalStateException("all " + MAX_LABS + " lab subnets 10.77.1-" + MAX_LABS
        + ".0/24 are in use");
  }

  private static Optional<NetworkLab> tryCreate(String ip, int k, int count) {
    String bridge = bridge(k);
    String subnet = "10.77." + k + ".0/24";
    if (!run(ip, "route", "show", "root", subnet).output().isBlank()) {
      if (!reclaimIfAbandoned(ip, k)) {
        return Optional.empty();
      }
    }
    // Creating the bridge is the lock on number k: it fails if another lab holds it.
    if (!run(ip, "link", "add", bridge, "type", "bridge", "forward_delay", "0").succeeded()) {
      if (!reclaimIfAbandoned(ip, k)
          || !run(ip, "link", "add", bridge, "type", "bridge", "forward_delay", "0").succeeded()) {
        return Optional.empty();
      }
    }
    List<Namespace> namespaces = new ArrayList<>();
    NetworkLab lab = null;
    try {
      must(ip, "link", "set", "dev", bridge, "alias", OWNER_ALIAS + ProcessHandle.current().pid());
      must(ip, "route", "add", "blackhole", subnet, "metric", GUARD_METRIC);
      must(ip, "addr", "add", "10.77." + k + ".1/24", "dev", bridge);
      must(ip, "link", "set", "dev", bridge, "up");
      for (int i = 1; i <= count; i++) {
        String ns = "bt" + k + "n" + i;
        String veth = veth(k, i);
        String address = "10.77." + k + "." + (10 + i);
        must(ip, "netns", "add", ns);
        namespaces.add(new Namespace(ns, address));
        must(ip, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        must(ip, "link", "set", "dev", veth, "master", bridge, "up");
        must(ip, "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        must(ip, "-n", ns, "link", "set", "dev", "eth0", "up");
        must(ip, "-n", ns, "link", "set", "dev", "lo", "up");
      }
      lab = new NetworkLab(ip, k, namespaces);
      return Optional.of(lab);
    } finally {
      if (lab == null) {
        teardown(ip, k, namespaces.stream().map(Namespace::name).toList());
      }
    }
  }

  /** Tears down lab {@code k} if the JVM that made it is gone; whether it did. */
  private static boolean reclaimIfAbandoned(String ip, int k) {
    Matcher owner = ALIAS.matcher(run(ip, "-d", "link", "show", "dev", bridge(k)).output());
    if (!owner.find() || Processes.isRunning(Long.parseLong(owner.group(1)))) {
      return false;
    }
    log.warn("reclaiming network lab 10.77.{}.0/24 left behind by dead pid {}", k, owner.group(1));
    List<String> stale = new ArrayList<>();
    for (String line : run(ip, "netns", "list").output().split("\n")) {
      String name = line.split(" ")[0];
      if (name.matches("bt" + k + "n\\d+")) {
        stale.add(name);
      }
    }
    teardown(ip, k, stale);
    return true;
  }

  private static void teardown(String ip, int k, List<String> namespaceNames) {
    for (String ns : namespaceNames) {
      for (String pid : run(ip, "netns", "pids", ns).output().split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(Processes::killTree);
        }
      }
    }
    for (String ns : namespaceNames) {
      int i = Integer.parseInt(ns.substring(ns.lastIndexOf('n') + 1));
      run(ip, "link", "del", "dev", veth(k, i));
      run(ip, "netns", "del", ns);
    }
    run(ip, "link", "del", "dev", bridge(k));
    run(ip, "route", "del", "blackhole", "10.77." + k + ".0/24", "metric", GUARD_METRIC);
  }

  private static String bridge(int k) {
    return "bt" + k + "br";
  }

  private static String veth(int k, int i) {
    return "bt" + k + "v" + i;
  }

  private static Command.Result run(String... command) {
    return Command.of(command).timeout(Duration.ofSeconds(20)).run();
  }

  private static void must(String... command) {
    run(command).orThrow();
  }

  public List<Namespace> namespaces() {
    return namespaces;
  }

  /** The {@code i}-th namespace, counting from 1 like the addresses' last digit minus 10. */
  public Namespace namespace(int i) {
    return namespaces.get(i - 1);
  }

  /** The root namespace's address on the lab network: the test JVM's side of the bridge. */
  public String bridgeAddress() {
    return "10.77." + number + ".1";
  }

  /** The lab's network, e.g. {@code 10.77.3.0/24}. */
  public String subnet() {
    return "10.77." + number + ".0/24";
  }

  /** Cuts the namespace off: no packet in or out until {@link #heal(Namespace)}. */
  public void cut(Namespace namespace) {
    must(ip, "link", "set", "dev", vethOf(namespace), "down");
  }

  public void heal(Namespace namespace) {
    must(ip, "link", "set", "dev", vethOf(namespace), "up");
  }

  private String vethOf(Namespace namespace) {
    int i = namespaces.indexOf(namespace);
    if (i < 0) {
      throw new IllegalArgumentException(namespace + " is not in lab " + subnet());
    }
    return veth(number, i + 1);
  }

  /** Runs a command inside the namespace and waits for it (up to a minute). */
  public Command.Result exec(Namespace namespace, String... command) {
    return Command.of(inNamespace(namespace, List.of(command)))
        .timeout(Duration.ofSeconds(60))
        .run();
  }

  /** {@code command} prefixed with {@code ip netns exec <namespace>}, for long-running ones. */
  public List<String> inNamespace(Namespace namespace, List<String> command) {
    List<String> full = new ArrayList<>(List.of(ip, "netns", "exec", namespace.name()));
    full.addAll(command);
    return full;
  }

  /** Kills the processes left in the namespaces, then removes everything the lab created. */
  @Override
  public void close() {
    cleanup.cancel();
    destroy();
  }

  private synchronized void destroy() {
    if (closed) {
      return;
    }
    closed = true;
    teardown(ip, number, namespaces.stream().map(Namespace::name).toList());
  }

  @Override
  public String toString() {
    return "NetworkLab " + subnet() + " " + namespaces;
  }
}

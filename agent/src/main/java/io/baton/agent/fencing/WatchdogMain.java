package io.baton.agent.fencing;

import io.baton.agent.clock.Clocks;
import io.baton.agent.clock.SuspendDetector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The watchdog process: fences the data directory's postmaster when the agent's lease has run out
 * and PostgreSQL may accept writes, because the agent is frozen (SIGSTOP, a long GC pause), dead,
 * cut off, or busy with a long action. It takes lines on standard input:
 *
 * <ul>
 *   <li>{@code arm <deadline>}: the lease's end, a {@link System#nanoTime()} value (on Linux both
 *       processes read the same CLOCK_MONOTONIC). The agent sends it with every acknowledged
 *       heartbeat, whatever PostgreSQL's role: whether to fence is decided at the deadline, by
 *       looking at the data directory.
 *   <li>{@code detach}: the agent stops but leaves PostgreSQL running: keep the deadline, fence
 *       when it passes, exit once no postmaster may accept writes.
 *   <li>{@code exit}: the agent stopped PostgreSQL itself: exit.
 * </ul>
 *
 * <p>From the deadline on it fences any postmaster that may accept writes (a live one without
 * {@code standby.signal}), checking every {@value #POLL_MILLIS} ms until armed again, so a
 * promotion or a start that outlives the lease is fenced too. End of input means the agent died:
 * fence at once if PostgreSQL may accept writes, then exit. A suspended machine (the boot clock ran
 * on while the monotonic one stood still) voids the lease at once. It prints {@code fenced <pid>}
 * when it fenced.
 *
 * <p>Arguments: {@code <data directory> <longest lease in ms> <first deadline>
 * [<watchdog device>]}: a deadline further away than the longest lease is cut to it, so a
 * confused agent cannot arm it for ever. The first deadline holds from the start: a new agent
 * process holds no lease, so it passes the time it started, and what may accept writes is fenced
 * even if the agent never reaches Kafka.
 *
 * <p>With a device (Linux {@code /dev/watchdog}: softdog or a hardware or hypervisor watchdog) it
 * is written to every second while this process works, and no longer once a postmaster that may
 * accept writes survived fencing past the deadline: the machine is then reset by the device's own
 * timeout (a kernel module parameter, such as softdog's {@code soft_margin}). A paused or frozen
 * machine stops the writes as well.
 */
public final class WatchdogMain {
  static final long POLL_MILLIS = 20;
  private static final Duration PET_INTERVAL = Duration.ofSeconds(1);
  private static final Duration FENCE_GRACE = Duration.ofSeconds(1);

  private final Path dataDirectory;
  private final long longestLeaseNanos;
  private final Optional<WatchdogDevice> device;
  private final SuspendDetector suspensions = new SuspendDetector(Clocks.SYSTEM, SuspendDetector.DEFAULT_THRESHOLD);
  private OptionalLong deadline = OptionalLong.empty();
  /** The agent left (on purpose, or it died): exit once nothing may accept writes. */
  private boolean detached;
  private boolean unfenceable;
  private long lastPetNanos = System.nanoTime() - PET_INTERVAL.toNanos();

  private WatchdogMain(
      Path dataDirectory, long longestLeaseNanos, long firstDeadline,
      Optional<WatchdogDevice> device) {
    this.dataDirectory = dataDirectory;
    this.longestLeaseNanos = longestLeaseNanos;
    this.device = device;
    arm(firstDeadline);
  }

  public static void main(String[] args) throws InterruptedException, IOException {
    Optional<WatchdogDevice> device =
        args.length > 3 ? Optional.of(WatchdogDevice.open(Path.of(args[3]))) : Optional.empty();
    new WatchdogMain(
            Path.of(args[0]), Duration.ofMillis(Long.parseLong(args[1])).toNanos(),
            Long.parseLong(args[2]), device)
        .run();
  }

  private void run() throws InterruptedException {
    BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> read(commands), "watchdog-stdin");
    reader.setDaemon(true);
    reader.start();
    while (true) {
      String command = commands.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      if (command != null && !obey(command)) {
        device.ifPresent(WatchdogDevice::closeDisarmed);
        return;
      }
      if (!suspensions.suspendedSinceLastLook().isZero()) {
        // The monotonic clock stood still while the machine was suspended: the deadline says
        // nothing about how long the broker has gone without a heartbeat.
        deadline = OptionalLong.of(System.nanoTime());
      }
      if (deadline.isPresent() && System.nanoTime() - deadline.getAsLong() >= 0) {
        fenceIfWritable();
      }
      boolean nothingWritable = Postmaster.possiblyWritable(dataDirectory).isEmpty();
      if (detached && nothingWritable) {
        device.ifPresent(WatchdogDevice::closeDisarmed);
        return;
      }
      if (nothingWritable) {
        // What survived SIGKILL has exited at last: no reason to let the device reset the machine.
        unfenceable = false;
      }
      pet();
    }
  }

  /** Carries out one command; false when the process should end. */
  private boolean obey(String command) {
    if (command.startsWith("arm ")) {
      arm(Long.parseLong(command.substring(4).trim()));
      return true;
    }
    if (command.equals("detach")) {
      detached = true;
      return true;
    }
    if (command.equals("eof") && detached) {
      // The agent left on purpose, PostgreSQL running: the deadline stands.
      return true;
    }
    if (command.equals("eof")) {
      // The agent died: nobody renews the lease or watches PostgreSQL any more. Fence now, and
      // stay until nothing may accept writes (a postmaster in uninterruptible sleep exits late).
      deadline = OptionalLong.of(System.nanoTime());
      detached = true;
      fenceIfWritable();
      return true;
    }
    return !command.equals("exit");
  }

  private void arm(long requested) {
    long longest = System.nanoTime() + longestLeaseNanos;
    deadline = OptionalLong.of(requested - longest > 0 ? longest : requested);
    unfenceable = false;
  }

  private void fenceIfWritable() {
    OptionalLong pid = Postmaster.possiblyWritable(dataDirectory);
    if (pid.isEmpty()) {
      return;
    }
    Postmaster.fence(pid.getAsLong(), FENCE_GRACE);
    long deadlineForExit = System.nanoTime() + FENCE_GRACE.toNanos();
    while (Postmaster.isRunning(pid.getAsLong()) && System.nanoTime() < deadlineForExit) {
      sleep();
    }
    boolean survived = Postmaster.isRunning(pid.getAsLong());
    System.out.println("fenced " + pid.getAsLong());
    System.out.flush();
    if (survived) {
      System.err.println("watchdog: postmaster " + pid.getAsLong() + " survived SIGKILL");
      unfenceable = true;
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pet() {
    long now = System.nanoTime();
    if (device.isEmpty() || unfenceable || now - lastPetNanos < PET_INTERVAL.toNanos()) {
      return;
    }
    device.get().pet();
    lastPetNanos = now;
  }

  private static void read(BlockingQueue<String> commands) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        commands.add(line.trim());
      }
    } catch (IOException e) {
      // A broken pipe means the agent is gone, as end of input does.
    }
    commands.add("eof");
  }
}

package io.baton.agent.clock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two clocks the agent's safety rests on, behind one interface so that tests can move them.
 *
 * <p>Leases are measured on the monotonic clock ({@link System#nanoTime()}: CLOCK_MONOTONIC on
 * Linux, shared by every process of the machine, so the watchdog process reads the same deadline).
 * That clock stops while the machine is suspended; the boot-time clock does not. When the boot
 * clock moved much further than the monotonic one between two looks, the machine was suspended and
 * every lease taken before is void: the broker may have seen a gap the monotonic clock hides.
 */
public interface Clocks {
  /** CLOCK_MONOTONIC, in nanoseconds. */
  long monotonicNanos();

  /** CLOCK_BOOTTIME (counts suspended time too), in nanoseconds; 10 ms resolution on Linux. */
  long bootNanos();

  /** The machine's clocks. */
  Clocks SYSTEM = new Clocks() {
    private final Path uptime = Path.of("/proc/uptime");

    @Override
    public long monotonicNanos() {
      return System.nanoTime();
    }

    @Override
    public long bootNanos() {
      try {
        // "12345.67 54321.00": the first field is CLOCK_BOOTTIME in seconds, with two decimals.
        String text = Files.readString(uptime);
        String seconds = text.substring(0, text.indexOf(' '));
        int dot = seconds.indexOf('.');
        long whole = Long.parseLong(seconds.substring(0, dot));
        long hundredths = Long.parseLong(seconds.substring(dot + 1));
        return whole * 1_000_000_000L + hundredths * 10_000_000L;
      } catch (IOException | RuntimeException e) {
        // Without /proc (not Linux) suspensions cannot be told apart: the monotonic clock stands in.
        return System.nanoTime();
      }
    }
  };
}

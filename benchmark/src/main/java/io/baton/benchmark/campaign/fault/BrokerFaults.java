package io.baton.benchmark.campaign.fault;

import io.baton.testkit.kafka.KafkaBrokers;
import java.time.Duration;
import java.util.List;

/**
 * Faults of Kafka itself, on the lab's brokers in their own JVMs: one paused, restarted, or its
 * wall clock skewed (libfaketime; LogAppendTime then comes from the skewed clock). A broker is
 * named by its index among the lab's brokers, modulo their number, so a schedule means the same
 * with one broker or three.
 */
public final class BrokerFaults {
  private BrokerFaults() {}

  /** SIGSTOP of a broker's JVM (a GC pause, a hung machine); SIGCONT at the heal. */
  public record BrokerPause(int broker) implements Fault {
    @Override
    public String kind() {
      return "broker-pause";
    }

    @Override
    public String describe() {
      return "SIGSTOP of Kafka broker #" + broker;
    }

    @Override
    public Injected inject(FaultContext context) {
      KafkaBrokers brokers = context.lab().kafkaBrokers();
      int id = id(brokers, broker);
      brokers.pause(id);
      return new Injected("Kafka node " + id + " paused", () -> {
        brokers.resume(id);
        return "Kafka node " + id + " resumed and serving";
      });
    }
  }

  /** A broker stopped (SIGTERM, a controlled shutdown) and started again at the heal. */
  public record BrokerRestart(int broker) implements Fault {
    @Override
    public String kind() {
      return "broker-restart";
    }

    @Override
    public String describe() {
      return "Kafka broker #" + broker + " stopped, started again at the heal";
    }

    @Override
    public Injected inject(FaultContext context) {
      KafkaBrokers brokers = context.lab().kafkaBrokers();
      int id = id(brokers, broker);
      brokers.stop(id);
      return new Injected("Kafka node " + id + " stopped", () -> {
        brokers.restart(id);
        return "Kafka node " + id + " started again and serving";
      });
    }
  }

  /** A broker's wall clock shifted by {@code offset}; back to the real time at the heal. */
  public record BrokerClockSkew(int broker, Duration offset) implements Fault {
    @Override
    public String kind() {
      return "broker-clock-skew";
    }

    @Override
    public String describe() {
      return "Kafka broker #" + broker + "'s clock skewed by " + offset.toSeconds() + " s";
    }

    @Override
    public Injected inject(FaultContext context) {
      KafkaBrokers brokers = context.lab().kafkaBrokers();
      int id = id(brokers, broker);
      brokers.skewClock(id, offset);
      return new Injected("Kafka node " + id + "'s clock at " + offset.toSeconds() + " s", () -> {
        brokers.skewClock(id, Duration.ZERO);
        return "Kafka node " + id + "'s clock real again";
      });
    }
  }

  private static int id(KafkaBrokers brokers, int index) {
    List<Integer> ids = brokers.brokerIds();
    return ids.get(index % ids.size());
  }
}

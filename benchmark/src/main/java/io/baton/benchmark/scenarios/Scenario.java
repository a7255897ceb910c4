package io.baton.benchmark.scenarios;

import io.baton.benchmark.LabKind;
import io.baton.benchmark.RunResult;
import io.baton.benchmark.Target;
import io.baton.lab.Lab;
import java.util.List;
import java.util.Optional;

/**
 * One benchmark scenario: what lab it needs, how many runs, the targets its figures are judged
 * against, and a session that measures one run at a time on a healthy lab.
 */
public interface Scenario {

  /** Which table of the report a scenario belongs to. */
  enum Group {
    FAILOVER,
    SWITCHOVER,
    SUBSCRIBERS,
    KAFKA
  }

  /** The name on the command line and in the report, e.g. {@code postmaster-kill}. */
  String name();

  /**
   * A name shared with related scenarios that selects them all on the command line, e.g. {@code
   * kafka-pause} for every Kafka outage; none by default.
   */
  default Optional<String> family() {
    return Optional.empty();
  }

  /** One sentence: what is done to the cluster. */
  String description();

  Group group();

  LabKind labKind();

  int defaultRuns();

  /** Runs with {@code --quick}: enough to smoke-check the scenario end to end. */
  int quickRuns();

  List<Target> targets();

  /** Prepares what the runs share (a client, proxies) on a lab whose cluster is healthy. */
  Session open(Lab lab) throws Exception;

  /**
   * The runs of a scenario on one lab. Each run starts from a healthy cluster and leaves it
   * healthy again (one primary, every standby streaming), or throws; after a throw the session
   * is closed and the lab replaced.
   */
  interface Session extends AutoCloseable {
    RunResult run(int run) throws Exception;

    @Override
    default void close() throws Exception {}
  }
}

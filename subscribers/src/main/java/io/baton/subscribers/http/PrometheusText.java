package io.baton.subscribers.http;

import io.baton.subscribers.follow.SubscriberRunner;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The subscribers' metrics in Prometheus' text exposition format (version 0.0.4). */
final class PrometheusText {
  private PrometheusText() {}

  static String render(List<SubscriberRunner> runners) {
    StringBuilder text = new StringBuilder();
    family(text, "baton_subscriber_ready", "gauge",
        "1 once the subscriber has read the master topic up to its end at start");
    for (SubscriberRunner runner : runners) {
      sample(text, "baton_subscriber_ready", labels(runner), runner.follower().isReady() ? 1 : 0);
    }
    family(text, "baton_subscriber_lag_records", "gauge",
        "Records on the master topic not read yet (absent while unknown)");
    for (SubscriberRunner runner : runners) {
      OptionalLong lag = runner.follower().lag();
      if (lag.isPresent()) {
        sample(text, "baton_subscriber_lag_records", labels(runner), lag.getAsLong());
      }
    }
    family(text, "baton_subscriber_malformed_records_total", "counter",
        "Records of the master topic skipped because they could not be read");
    for (SubscriberRunner runner : runners) {
      sample(text, "baton_subscriber_malformed_records_total", labels(runner),
          runner.follower().malformedRecords());
    }
    family(text, "baton_subscriber_received_epoch", "gauge",
        "Newest epoch read from the master topic, per cluster");
    for (SubscriberRunner runner : runners) {
      for (String cluster : runner.follower().all().keySet()) {
        runner.follower().lastAppliedEpoch(cluster).ifPresent(epoch ->
            sample(text, "baton_subscriber_received_epoch", labels(runner, cluster), epoch));
      }
    }
    family(text, "baton_subscriber_applied_epoch", "gauge",
        "Epoch of the master last applied to the target, per cluster");
    forEachCluster(runners, (runner, cluster, stats) -> sample(text,
        "baton_subscriber_applied_epoch", labels(runner, cluster), stats.appliedEpoch()));
    family(text, "baton_subscriber_applied_total", "counter", "Changes applied, per cluster");
    forEachCluster(runners, (runner, cluster, stats) -> sample(text,
        "baton_subscriber_applied_total", labels(runner, cluster), stats.applied()));
    family(text, "baton_subscriber_apply_failures_total", "counter",
        "Failed attempts to apply a change, per cluster");
    forEachCluster(runners, (runner, cluster, stats) -> sample(text,
        "baton_subscriber_apply_failures_total", labels(runner, cluster), stats.failures()));
    family(text, "baton_subscriber_apply_seconds", "gauge",
        "How long the last applied change took to apply");
    forEachCluster(runners, (runner, cluster, stats) -> sample(text,
        "baton_subscriber_apply_seconds", labels(runner, cluster),
        stats.lastApplyDuration().toNanos() / 1e9));
    family(text, "baton_subscriber_publish_to_apply_seconds", "gauge",
        "From the broker timestamp of the last applied record to the end of its application");
    forEachCluster(runners, (runner, cluster, stats) -> sample(text,
        "baton_subscriber_publish_to_apply_seconds", labels(runner, cluster),
        stats.publishToApply().toNanos() / 1e9));
    return text.toString();
  }

  private interface ClusterSample {
    void accept(SubscriberRunner runner, String cluster, SubscriberRunner.ClusterStats stats);
  }

  private static void forEachCluster(List<SubscriberRunner> runners, ClusterSample sample) {
    for (SubscriberRunner runner : runners) {
      for (Map.Entry<String, SubscriberRunner.ClusterStats> entry : runner.stats().entrySet()) {
        sample.accept(runner, entry.getKey(), entry.getValue());
      }
    }
  }

  private static void family(StringBuilder text, String name, String type, String help) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder text, String name, String labels, double value) {
    text.append(name).append(labels).append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      text.append((long) value);
    } else {
      text.append(value);
    }
    text.append('\n');
  }

  private static String labels(SubscriberRunner runner) {
    return "{subscriber=\"" + runner.name() + "\"}";
  }

  /** Cluster names are restricted to [a-z0-9_-], so they need no escaping. */
  private static String labels(SubscriberRunner runner, String cluster) {
    return "{subscriber=\"" + runner.name() + "\",cluster=\"" + cluster + "\"}";
  }
}

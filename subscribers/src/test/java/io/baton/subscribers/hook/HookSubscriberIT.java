package io.baton.subscribers.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.subscribers.follow.SubscriberRunner;
import io.baton.subscribers.testing.MasterPublisher;
import io.baton.subscribers.testing.Waits;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook subscriber as the Micronaut application, fed through Kafka, across a restart. */
class HookSubscriberIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static MasterRecord master(long epoch, String node) {
    return new MasterRecord("orders", epoch, node, "127.0.0.1", 5432 + (int) epoch, epoch,
        Lsn.parse("0/3000060"), Instant.now(), "test");
  }

  @Test
  void runsOncePerEpochAcrossRestartsAndSkipsMalformedRecords(@TempDir Path dir)
      throws Exception {
    Path script = dir.resolve("hook.sh");
    Files.writeString(script, "#!/bin/sh\necho \"$BATON_EPOCH $BATON_NODE $BATON_PREVIOUS_NODE\""
        + " >> \"$1/runs\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Path runs = dir.resolve("runs");
    try (MasterPublisher kafka = new MasterPublisher()) {
      Map<String, Object> config = Map.of(
          "micronaut.server.port", -1,
          "baton.kafka.bootstrap-servers", kafka.bootstrapServers(),
          "baton.kafka.topic-prefix", kafka.topicPrefix(),
          "baton.hook.enabled", true,
          "baton.hook.command", List.of(script.toString(), dir.toString()),
          "baton.hook.state-directory", dir.resolve("state").toString());
      kafka.publish(master(1, "n1"));
      try (ApplicationContext context = ApplicationContext.run(config)) {
        Waits.until(() -> Files.exists(runs), WAIT, "the hook ran for epoch 1");
        kafka.publishRaw("orders", "{\"version\":1}".getBytes(StandardCharsets.UTF_8));
        kafka.publish(master(2, "n2"));
        Waits.until(() -> Files.readAllLines(runs).size() == 2, WAIT, "the hook ran for epoch 2");
        assertEquals(1, runner(context).follower().malformedRecords());
      }
      try (ApplicationContext context = ApplicationContext.run(config)) {
        Waits.until(() -> runner(context).stats().containsKey("orders"), WAIT,
            "epoch 2 handled after the restart");
        assertEquals(2, runner(context).stats().get("orders").appliedEpoch());
        assertEquals(List.of("1 n1 ", "2 n2 n1"), Files.readAllLines(runs),
            "no run repeated after the restart");
        kafka.publish(master(3, "n1"));
        Waits.until(() -> Files.readAllLines(runs).size() == 3, WAIT, "the hook ran for epoch 3");
        assertTrue(Files.readAllLines(runs).get(2).startsWith("3 n1 n2"));
      }
    }
  }

  private static SubscriberRunner runner(ApplicationContext context) {
    return context.getBean(SubscriberRunner.class, Qualifiers.byName("hook"));
  }
}

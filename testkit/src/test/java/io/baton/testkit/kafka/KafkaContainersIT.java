package io.baton.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** Runs only where a Docker engine is available; reported as skipped elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainersIT {
  @Container
  private static final KafkaContainer KAFKA = KafkaContainers.apacheKafka();

  @Test
  void theContainerAcceptsTopics() throws Exception {
    try (Admin admin = Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("in-docker", 1, (short) 1))).all().get();
      assertEquals(true, admin.listTopics().names().get().contains("in-docker"));
    }
  }
}

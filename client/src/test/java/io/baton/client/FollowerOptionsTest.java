package io.baton.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowerOptionsTest {
  @Test
  void defaultsFollowEveryClusterOnBatonMaster() {
    FollowerOptions options = FollowerOptions.builder("k:9092").build();
    assertEquals("baton.master", options.masterTopic());
    assertTrue(options.follows("anything"));
    assertEquals("baton-follower", options.clientId());
    assertEquals("staging.master",
        FollowerOptions.builder("k:9092").topicPrefix("staging.").build().masterTopic());
  }

  @Test
  void toStringNamesKafkaPropertiesButNeverTheirValues(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "security.protocol=SASL_SSL\n"
        + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"u\" password=\"s3cr3t-value\";\n");
    FollowerOptions options = FollowerOptions.builder("k:9092").kafkaPropertiesFile(file)
        .kafkaProperties(Map.of("ssl.truststore.password", "another-s3cr3t"))
        .groupId("g").cluster("orders").build();
    String text = options.toString();
    assertTrue(text.contains("sasl.jaas.config"), text);
    assertFalse(text.contains("s3cr3t"), text);
    assertFalse(options.follows("billing"));
    assertEquals("g", options.clientId());
  }

  @Test
  void aKafkaConnectionGivesTheMasterTopicOfItsPrefixAndItsProperties() {
    FollowerOptions options = FollowerOptions.builder(new io.baton.client.kafka.KafkaConnection(
        "k:9092", new io.baton.events.TopicNames("prod."), Map.of("security.protocol", "SSL")))
        .build();
    assertEquals("prod.master", options.masterTopic());
    assertEquals(Map.of("security.protocol", "SSL"), options.kafkaProperties());
  }

  @Test
  void invalidInputIsRejectedWithTheReason() {
    assertThrows(IllegalArgumentException.class, () -> FollowerOptions.builder(" ").build());
    IllegalArgumentException badCluster = assertThrows(IllegalArgumentException.class,
        () -> FollowerOptions.builder("k:9092").cluster("Not Valid").build());
    assertTrue(badCluster.getMessage().contains("cluster"), badCluster.getMessage());
    assertThrows(java.io.UncheckedIOException.class,
        () -> FollowerOptions.builder("k:9092").kafkaPropertiesFile(Path.of("/nonexistent")));
  }
}

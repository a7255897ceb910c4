package io.baton.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.testkit.process.Processes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ConsoleConsumerToolIT {

  private static void createTopic(String topic) throws Exception {
    try (Admin admin = Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  @Test
  void printsKeysAndValuesOnStdoutOnly() throws Exception {
    createTopic("console-printed");
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("console-printed", "cluster-a", "{\"master\":\"n1\"}"));
      producer.send(new ProducerRecord<>("console-printed", "cluster-b", "{\"master\":\"n2\"}"));
      producer.flush();
    }

    List<String> lines = ConsoleConsumerTool.run(TestKafka.bootstrapServers(), "console-printed",
        Duration.ofSeconds(60), "--from-beginning", "--property", "print.key=true",
        "--max-messages", "2");

    assertEquals(List.of("cluster-a\t{\"master\":\"n1\"}", "cluster-b\t{\"master\":\"n2\"}"), lines);
  }

  @Test
  void killsTheConsumerWhenItRunsPastTheTimeout() throws Exception {
    createTopic("console-empty");

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ConsoleConsumerTool.run(TestKafka.bootstrapServers(), "console-empty",
            Duration.ofSeconds(4), "--from-beginning", "--max-messages", "1"));

    assertTrue(e.getMessage().contains("did not finish within PT4S"), e.getMessage());
    assertFalse(Processes.alive().containsValue("console-consumer console-empty"),
        "consumer still running: " + Processes.alive());
  }
}

package io.baton.benchmark.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenariosTest {
  private static List<String> chosen(List<String> names) {
    return Scenarios.all().stream().filter(s -> Scenarios.isChosen(s, names))
        .map(Scenario::name).toList();
  }

  @Test
  void aFamilyNameChoosesEveryKafkaOutage() {
    assertTrue(Scenarios.names().contains("kafka-pause"), Scenarios.names().toString());
    assertEquals(List.of("kafka-pause-1s", "kafka-pause-2s", "kafka-pause-3s", "kafka-pause-4s",
        "kafka-restart"), chosen(List.of("kafka-pause")));
  }

  @Test
  void aScenarioNameChoosesThatScenarioOnly() {
    assertEquals(List.of("node-loss", "kafka-pause-3s"),
        chosen(List.of("kafka-pause-3s", "node-loss")));
  }
}

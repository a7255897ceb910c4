package io.baton.system;

import io.baton.events.MasterRecord;
import io.baton.lab.Lab;
import io.baton.testkit.kafka.KafkaContainers;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The foundation against Testcontainers' Kafka, where Docker runs. Without Docker it is skipped;
 * {@link FoundationIT} covers the same on the embedded broker.
 */
@Testcontainers(disabledWithoutDocker = true)
class FoundationOnContainerKafkaIT {

  @Test
  void theFoundationWorksOnAContainerizedBroker() throws Exception {
    try (KafkaContainer kafka = KafkaContainers.apacheKafka()) {
      kafka.start();
      try (Lab lab = Lab.builder().cluster("containerized").bootstrapServers(kafka.getBootstrapServers()).start()) {
        MasterRecord master = FoundationChecks.masterNamesTheRealPrimary(lab);
        FoundationChecks.heartbeatsCarryLsnsThatAdvanceWhenRowsAreWritten(lab, master);
        FoundationChecks.consoleConsumerPrintsTheMasterRecord(lab, master);
      }
    }
  }
}

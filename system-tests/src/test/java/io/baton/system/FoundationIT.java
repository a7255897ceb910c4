package io.baton.system;

import io.baton.events.MasterRecord;
import io.baton.lab.Lab;
import io.baton.testkit.kafka.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton, end to end on the embedded KRaft broker: agents observe real PostgreSQL
 * nodes and heartbeat, the coordinator derives the master topic, and a person can read it with
 * the stock console consumer.
 */
class FoundationIT {
  private static Lab lab;
  private static MasterRecord master;

  @BeforeAll
  static void start() throws Exception {
    lab = Lab.builder().cluster("foundation").bootstrapServers(TestKafka.bootstrapServers()).start();
    master = FoundationChecks.masterNamesTheRealPrimary(lab);
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void theMasterTopicNamesTheRealPrimary() throws Exception {
    FoundationChecks.masterNamesTheRealPrimary(lab);
  }

  @Test
  void heartbeatsCarryLsnsThatAdvanceWhenRowsAreWritten() throws Exception {
    FoundationChecks.heartbeatsCarryLsnsThatAdvanceWhenRowsAreWritten(lab, master);
  }

  @Test
  void theStockConsoleConsumerPrintsTheMasterRecord() throws Exception {
    FoundationChecks.consoleConsumerPrintsTheMasterRecord(lab, master);
  }
}

package io.baton.client;

import java.time.Instant;
import java.util.Optional;

/**
 * A record read from the master topic, before it is decoded: what {@link MasterBook} needs of a
 * Kafka {@code ConsumerRecord}, so the apply logic can be driven without Kafka.
 *
 * @param timestamp the broker (or producer) timestamp of the record
 */
record IncomingRecord(String topic, int partition, long offset, Instant timestamp,
    Optional<byte[]> key, Optional<byte[]> value) {

  String position() {
    return topic + "-" + partition + "@" + offset;
  }
}

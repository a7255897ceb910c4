package io.baton.coordinator.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the enrollments store as the topic holds it: the newest value per {@code cluster/node},
 * a tombstone removing the node. Nothing is checked here; {@link EnrollmentBook} checks where an
 * enrollment is used, against the operator keys of the time.
 */
final class EnrollmentKeeper implements Processor<String, byte[], Void, Void> {
  private KeyValueStore<String, byte[]> store;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(CoordinatorTopology.ENROLLMENTS_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
  }
}

/**
 * Kafka for tests: {@link io.baton.testkit.kafka.EmbeddedKafka} (a real KRaft broker in this
 * JVM), {@link io.baton.testkit.kafka.KafkaBrokers} (a KRaft cluster of 1 or 3 brokers in child
 * JVMs, for Kafka faults), {@link io.baton.testkit.kafka.TestKafka} (one shared broker per JVM, or
 * an external one), {@link io.baton.testkit.kafka.KafkaContainers} (the official image, where
 * Docker exists) and {@link io.baton.testkit.kafka.ConsoleConsumerTool} (the stock console
 * consumer, as an operator would run it).
 */
package io.baton.testkit.kafka;

package io.baton.agent.heartbeat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.AgentStatus;
import io.baton.events.Convergence;
import io.baton.events.EventCodec;
import io.baton.events.Health;
import io.baton.events.Heartbeat;
import io.baton.events.PostgresStatus;
import io.baton.events.signing.Ed25519;
import io.baton.events.signing.SignatureHeaders;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class HeartbeatPublisherTest {
  @Test
  void aHeartbeatGoesOutAsPlainJsonKeyedByClusterWithItsSignatureInAHeader() {
    KeyPair node = Ed25519.generate();
    Heartbeat heartbeat = new Heartbeat("orders", "n1", "i1", 3, Instant.EPOCH,
        PostgresStatus.unobserved(Health.DOWN, "127.0.0.1", 5432, "starting"),
        new AgentStatus(Optional.empty(), Convergence.UNASSIGNED, "starting", false, false,
            OptionalLong.empty(), Optional.empty(), Duration.ofSeconds(3), 100, false,
            Optional.empty(), Optional.empty()));

    ProducerRecord<String, byte[]> record =
        HeartbeatPublisher.signed("baton.heartbeats", heartbeat, node.getPrivate());

    assertEquals("orders", record.key());
    assertArrayEquals(EventCodec.write(heartbeat), record.value(), "the value is the JSON alone");
    byte[] signature = record.headers().lastHeader(SignatureHeaders.SIGNATURE).value();
    assertTrue(Ed25519.verify(node.getPublic(), record.value(), signature));
  }
}

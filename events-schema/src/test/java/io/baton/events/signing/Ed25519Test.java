package io.baton.events.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Ed25519Test {
  private static final byte[] DATA = "{\"cluster\":\"orders\",\"node\":\"n1\"}"
      .getBytes(StandardCharsets.UTF_8);

  @Test
  void aSignatureVerifiesWithItsKeyOnlyAndOverTheExactBytesOnly() {
    KeyPair mine = Ed25519.generate();
    KeyPair other = Ed25519.generate();
    byte[] signature = Ed25519.sign(mine.getPrivate(), DATA);

    assertEquals(Ed25519.SIGNATURE_LENGTH, signature.length);
    assertTrue(Ed25519.verify(mine.getPublic(), DATA, signature));
    assertFalse(Ed25519.verify(other.getPublic(), DATA, signature), "another key");
    byte[] changed = DATA.clone();
    changed[changed.length - 3] ^= 1;
    assertFalse(Ed25519.verify(mine.getPublic(), changed, signature), "one bit of the value");
    byte[] spaced = (new String(DATA, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
    assertFalse(Ed25519.verify(mine.getPublic(), spaced, signature), "the same JSON, respelled");
    assertFalse(Ed25519.verify(mine.getPublic(), DATA, Arrays.copyOf(signature, 63)), "cut");
    assertFalse(Ed25519.verify(mine.getPublic(), DATA, new byte[64]), "zeros");
    assertFalse(Ed25519.verify(mine.getPublic(), DATA, null), "none");
  }

  @Test
  void thePublicKeyDerivedFromAPrivateKeyIsItsOwn() {
    for (int i = 0; i < 20; i++) {
      KeyPair pair = Ed25519.generate();
      assertArrayEquals(pair.getPublic().getEncoded(),
          Ed25519.publicKeyOf(pair.getPrivate()).getEncoded());
    }
  }

  @Test
  void publicKeysParseOnlyInTheirOneSpelling() {
    KeyPair pair = Ed25519.generate();
    String encoded = Ed25519.encode(pair.getPublic());
    assertTrue(encoded.startsWith(Ed25519.PUBLIC_KEY_PREFIX), encoded);
    assertEquals(60, encoded.length());
    assertArrayEquals(pair.getPublic().getEncoded(),
        Ed25519.parsePublicKey(encoded).orElseThrow().getEncoded());
    for (String bad : new String[] {"", encoded + "\n", encoded.substring(0, 59) + "B",
        encoded + "AAAA", encoded.substring(4), "MCowBQYDK2VwAyEA", "not base64 at all"}) {
      assertTrue(Ed25519.parsePublicKey(bad).isEmpty(), bad);
    }
    assertTrue(Ed25519.parsePublicKey(null).isEmpty());
  }

  @Test
  void privateKeysParseFromPkcs8AndNothingElse() {
    KeyPair pair = Ed25519.generate();
    assertArrayEquals(pair.getPrivate().getEncoded(),
        Ed25519.parsePrivateKey(pair.getPrivate().getEncoded()).getEncoded());
    assertThrows(IllegalArgumentException.class,
        () -> Ed25519.parsePrivateKey(pair.getPublic().getEncoded()));
  }

  @Test
  void signaturesParseFromBase64Of64Bytes() {
    byte[] signature = Ed25519.sign(Ed25519.generate().getPrivate(), DATA);
    String encoded = Base64.getEncoder().encodeToString(signature);
    assertArrayEquals(signature, Ed25519.parseSignature(encoded).orElseThrow());
    assertTrue(Ed25519.parseSignature(encoded.substring(4)).isEmpty());
    assertTrue(Ed25519.parseSignature(encoded + "\n").isEmpty());
    assertTrue(Ed25519.parseSignature(null).isEmpty());
  }

  /**
   * What a heartbeat costs: the agent signs it and the coordinator verifies it. Printed for the
   * record (a loaded machine makes any bound meaningless); the round trip must hold.
   */
  @Test
  void measuresSigningAndVerifyingAHeartbeatSizedValue() {
    KeyPair pair = Ed25519.generate();
    byte[] value = new byte[1500];
    Arrays.fill(value, (byte) 'x');
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int rounds = 400;
    byte[] signature = null;
    for (int warmup = 0; warmup < 2; warmup++) {
      long start = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        signature = Ed25519.sign(pair.getPrivate(), value);
      }
      long signed = threads.getCurrentThreadCpuTime();
      long signedWall = System.nanoTime();
      boolean all = true;
      for (int i = 0; i < rounds; i++) {
        all &= Ed25519.verify(pair.getPublic(), value, signature);
      }
      long verified = threads.getCurrentThreadCpuTime();
      assertTrue(all);
      System.out.printf("Ed25519 on a 1500-byte value (%s): sign %.0f us CPU (%.0f us wall),"
              + " verify %.0f us CPU (%.0f us wall)%n",
          warmup == 0 ? "cold" : "warm",
          (signed - start) / 1e3 / rounds, (signedWall - wall) / 1e3 / rounds,
          (verified - signed) / 1e3 / rounds, (System.nanoTime() - signedWall) / 1e3 / rounds);
    }
  }
}

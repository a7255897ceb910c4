package io.baton.agent.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.client.keys.KeyFiles;
import io.baton.events.signing.Ed25519;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyTest {
  @TempDir Path state;

  @Test
  void theFirstStartMakesAKeyOnlyTheAgentsUserCanReadAndLaterStartsKeepIt() throws Exception {
    NodeKey first = NodeKey.loadOrCreate(Optional.empty(), state);
    Path file = state.resolve("node.key");

    assertTrue(first.created());
    assertEquals(file, first.file());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    NodeKey again = NodeKey.loadOrCreate(Optional.empty(), state);
    assertFalse(again.created());
    assertArrayEquals(first.privateKey().getEncoded(), again.privateKey().getEncoded());
    assertArrayEquals(first.publicKey().getEncoded(), again.publicKey().getEncoded(),
        "the public key is derived again from the file");
  }

  @Test
  void aConfiguredKeyFileMustExistAndBeReadableByNoOneElse() throws Exception {
    Path configured = state.resolve("from-openssl.pem");
    assertThrows(KeyFiles.KeyFileException.class,
        () -> NodeKey.loadOrCreate(Optional.of(configured), state), "never made elsewhere");
    KeyFiles.createPrivateKey(configured);
    assertFalse(NodeKey.loadOrCreate(Optional.of(configured), state).created());
    assertFalse(Files.exists(state.resolve("node.key")));
    Files.setPosixFilePermissions(configured, PosixFilePermissions.fromString("r--r-----"));
    assertFalse(NodeKey.loadOrCreate(Optional.of(configured), state).created(),
        "a Kubernetes Secret file readable by the pod's fsGroup");
    for (String loose : new String[] {"rw----r--", "rw-rw----", "rwxrwxrwx"}) {
      Files.setPosixFilePermissions(configured, PosixFilePermissions.fromString(loose));
      assertThrows(KeyFiles.KeyFileException.class,
          () -> NodeKey.loadOrCreate(Optional.of(configured), state), loose);
    }
  }

  @Test
  void neitherItsTextNorItsPemHoldTheSecret() {
    NodeKey key = NodeKey.loadOrCreate(Optional.empty(), state);
    String secret = Base64.getEncoder().encodeToString(key.privateKey().getEncoded());
    assertFalse(key.toString().contains(secret.substring(20)), key.toString());
    assertTrue(key.toString().contains(Ed25519.encode(key.publicKey())));
    assertFalse(key.publicKeyPem().contains(secret.substring(20)));
    assertTrue(key.publicKeyPem().startsWith("-----BEGIN PUBLIC KEY-----\n"));
  }
}

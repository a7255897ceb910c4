package io.baton.client.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.signing.Ed25519;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  @TempDir Path directory;

  @Test
  void aNewKeyIsTheOwnersAloneFromTheStartAndReadsBack() throws Exception {
    Path file = directory.resolve("node.key");
    KeyPair created = KeyFiles.createPrivateKey(file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertArrayEquals(created.getPrivate().getEncoded(),
        KeyFiles.readPrivateKey(file).getEncoded());
    assertThrows(KeyFiles.KeyFileException.class, () -> KeyFiles.createPrivateKey(file),
        "an existing key is never replaced");
  }

  @Test
  void aKeyOthersMayReadIsRefused() throws Exception {
    Path file = directory.resolve("node.key");
    KeyFiles.createPrivateKey(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    KeyFiles.KeyFileException refused =
        assertThrows(KeyFiles.KeyFileException.class, () -> KeyFiles.readPrivateKey(file));
    assertTrue(refused.getMessage().contains("chmod 600"), refused.getMessage());
  }

  @Test
  void missingOrForeignFilesAreRefusedWithTheReason() throws Exception {
    assertTrue(assertThrows(KeyFiles.KeyFileException.class,
        () -> KeyFiles.readPrivateKey(directory.resolve("absent"))).getMessage()
        .startsWith("no key file"));
    Path text = directory.resolve("text.key");
    Files.writeString(text, "hello\n");
    Files.setPosixFilePermissions(text, PosixFilePermissions.fromString("rw-------"));
    assertTrue(assertThrows(KeyFiles.KeyFileException.class, () -> KeyFiles.readPrivateKey(text))
        .getMessage().contains("holds no PEM private key"));
  }

  @Test
  void aPublicKeyReadsFromPemOrFromItsBase64Line() throws Exception {
    PublicKey key = Ed25519.generate().getPublic();
    Path pem = directory.resolve("n1.pub");
    Files.writeString(pem, KeyFiles.publicKeyPem(key));
    Path line = directory.resolve("n1.b64");
    Files.writeString(line, Ed25519.encode(key) + "\n");

    assertArrayEquals(key.getEncoded(), KeyFiles.readPublicKey(pem).getEncoded());
    assertArrayEquals(key.getEncoded(), KeyFiles.readPublicKey(line).getEncoded());
    Path bad = directory.resolve("bad.pub");
    Files.writeString(bad, "MCowBQYDK2VwAyEA\n");
    assertThrows(KeyFiles.KeyFileException.class, () -> KeyFiles.readPublicKey(bad));
  }

  @Test
  void anOperatorKeyNeverPrintsItsKey() throws Exception {
    Path file = directory.resolve("alice.key");
    KeyFiles.createPrivateKey(file);
    OperatorKey alice = OperatorKey.load("alice", file);
    assertEquals("OperatorKey[operator=alice]", alice.toString());
    assertFalse(alice.toString().contains(Files.readString(file).lines().skip(1).findFirst()
        .orElseThrow().substring(0, 20)));
  }
}

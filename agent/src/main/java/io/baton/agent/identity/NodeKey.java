package io.baton.agent.identity;

import io.baton.client.keys.KeyFiles;
import io.baton.events.signing.Ed25519;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Optional;

/**
 * This node's identity: the Ed25519 key its heartbeats are signed with. Taken from a configured
 * file ({@code baton.agent.key-file}), or made on first start in the state directory, readable
 * by the agent's OS user alone. An operator enrolls the public half ({@code baton enroll}); the
 * private half never leaves the file and this object, and is never printed or logged.
 *
 * @param created whether the key was made just now
 */
public record NodeKey(Path file, PrivateKey privateKey, PublicKey publicKey, boolean created) {
  public static final String DEFAULT_FILE_NAME = "node.key";

  /**
   * @param configured a key file that must exist; without one, {@code stateDirectory/node.key},
   *     made when missing
   */
  public static NodeKey loadOrCreate(Optional<Path> configured, Path stateDirectory) {
    if (configured.isPresent()) {
      return load(configured.get());
    }
    Path file = stateDirectory.resolve(DEFAULT_FILE_NAME);
    if (Files.exists(file)) {
      return load(file);
    }
    KeyPair pair = KeyFiles.createPrivateKey(file);
    return new NodeKey(file, pair.getPrivate(), pair.getPublic(), true);
  }

  private static NodeKey load(Path file) {
    PrivateKey key = KeyFiles.readPrivateKey(file);
    return new NodeKey(file, key, Ed25519.publicKeyOf(key), false);
  }

  /** The public key as {@code baton enroll --public-key} takes it. */
  public String publicKeyPem() {
    return KeyFiles.publicKeyPem(publicKey);
  }

  @Override
  public String toString() {
    return "NodeKey[file=" + file + ", public key " + Ed25519.encode(publicKey) + "]";
  }
}

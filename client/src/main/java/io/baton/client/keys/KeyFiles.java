package io.baton.client.keys;

import io.baton.events.signing.Ed25519;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys in files, in the PEM forms OpenSSL reads and writes: a private key as PKCS#8
 * ({@code openssl genpkey -algorithm ed25519}), a public key as SubjectPublicKeyInfo ({@code
 * openssl pkey -pubout}) or its Base64 on one line. A private key file must not be readable by
 * others, nor writable by its group: a key others may read proves nothing about who signed. Its
 * group may read it, as Kubernetes makes a Secret file readable by the pod's {@code fsGroup}.
 * Keys made here are readable by their owner alone (0600).
 */
public final class KeyFiles {
  private static final Pattern PRIVATE_PEM =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final Pattern PUBLIC_PEM =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> READABLE_ENOUGH = EnumSet.of(
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.GROUP_READ);

  private KeyFiles() {}

  /** A private key file that can be used, or why not. */
  public static PrivateKey readPrivateKey(Path file) {
    requireOwnerOnly(file);
    String text = read(file, "private key");
    Matcher pem = PRIVATE_PEM.matcher(text);
    if (!pem.find()) {
      throw new KeyFileException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----"
          + " as openssl genpkey -algorithm ed25519 writes it)");
    }
    try {
      return Ed25519.parsePrivateKey(Base64.getMimeDecoder().decode(pem.group(1)));
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(file + " holds no Ed25519 private key: " + e.getMessage());
    }
  }

  /**
   * Creates a new key and writes it to {@code file}, which must not exist, readable and writable
   * by this process's user alone from the moment it exists.
   */
  public static KeyPair createPrivateKey(Path file) {
    KeyPair pair = Ed25519.generate();
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException(file + " exists already: not replacing a key");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a new key to " + file, e);
    }
    return pair;
  }

  /** A public key from a PEM file or a file holding its Base64 on one line. */
  public static PublicKey readPublicKey(Path file) {
    String text = read(file, "public key").strip();
    Matcher pem = PUBLIC_PEM.matcher(text);
    String base64 = pem.find() ? pem.group(1).replaceAll("\\s", "") : text;
    return Ed25519.parsePublicKey(base64).orElseThrow(() -> new KeyFileException(
        file + " holds no Ed25519 public key (PEM from openssl pkey -pubout or baton-agent"
            + " print-public-key, or its Base64 on one line)"));
  }

  /** A public key as a PEM block. */
  public static String publicKeyPem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Ed25519.encode(key) + "\n-----END PUBLIC KEY-----\n";
  }

  private static void requireOwnerOnly(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!READABLE_ENOUGH.containsAll(permissions)) {
        throw new KeyFileException(file + " may be read or written by others ("
            + PosixFilePermissions.toString(permissions) + "): chmod 600 it, or 400 (440 at most)");
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new KeyFileException("no key file " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the permissions of " + file, e);
    }
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new KeyFileException("no " + what + " file " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + what + " file " + file, e);
    }
  }

  /** A key file that exists but cannot be used; the message says why. */
  public static final class KeyFileException extends RuntimeException {
    public KeyFileException(String message) {
      super(message);
    }
  }
}

package io.baton.events.signing;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Ed25519 signatures as Baton uses them, from the JDK alone: who may move a primary is proven by
 * signatures of node keys (heartbeats) and operator keys (requests, enrollments).
 *
 * <p>Public keys travel as the Base64 of their X.509 SubjectPublicKeyInfo (60 characters,
 * starting {@code MCowBQYDK2VwAyEA}): the body of the PEM that {@code openssl pkey -pubout}
 * prints. Private keys are PKCS#8, as {@code openssl genpkey -algorithm ed25519} writes them.
 * A signature is 64 bytes.
 */
public final class Ed25519 {
  public static final String ALGORITHM = "Ed25519";
  public static final int SIGNATURE_LENGTH = 64;
  /** The SubjectPublicKeyInfo header of every Ed25519 public key, in Base64. */
  public static final String PUBLIC_KEY_PREFIX = "MCowBQYDK2VwAyEA";

  private Ed25519() {}

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  public static byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(data);
      return signature.sign();
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with Ed25519", e);
    }
  }

  /** Whether {@code signature} is the signature of {@code data} by the key's owner. */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (SignatureException | InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot verify Ed25519 signatures", e);
    }
  }

  /**
   * The public half of a private key. The JDK has no call for it, but its key pair generator
   * takes the private key's 32 bytes from the random source it is given: handing it exactly
   * those bytes yields the same private key and its public key. Checked, so a JDK that drew
   * its bytes differently fails here instead of yielding a wrong key.
   */
  public static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof EdECPrivateKey edec) || edec.getBytes().isEmpty()) {
      throw new IllegalArgumentException("not an Ed25519 private key");
    }
    byte[] seed = edec.getBytes().get();
    SecureRandom replay =
        new SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
              throw new IllegalStateException("the key generator asked for " + bytes.length
                  + " random bytes, not the " + seed.length + " of a private key");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
          }
        };
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, replay);
      KeyPair pair = generator.generateKeyPair();
      byte[] regenerated = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
      if (!Arrays.equals(regenerated, seed)) {
        throw new IllegalStateException("could not derive the public key of an Ed25519 key");
      }
      return pair.getPublic();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The Base64 form of a public key, as enrollments and the operator keys file carry it. */
  public static String encode(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** Parses a public key in its Base64 form; empty when it is not one. */
  public static Optional<PublicKey> parsePublicKey(String base64) {
    if (base64 == null || !base64.startsWith(PUBLIC_KEY_PREFIX)) {
      return Optional.empty();
    }
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      PublicKey key =
          KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
      // One key, one spelling: no trailing bytes, no other Base64 of the same bytes.
      return encode(key).equals(base64) ? Optional.of(key) : Optional.empty();
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  /** Parses a PKCS#8 private key. */
  public static PrivateKey parsePrivateKey(byte[] pkcs8) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8)", e);
    }
  }

  /** A signature in the Base64 form enrollments carry; empty when it is not one. */
  public static Optional<byte[]> parseSignature(String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64);
      boolean canonical = Base64.getEncoder().encodeToString(bytes).equals(base64);
      return canonical && bytes.length == SIGNATURE_LENGTH ? Optional.of(bytes) : Optional.empty();
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }
}

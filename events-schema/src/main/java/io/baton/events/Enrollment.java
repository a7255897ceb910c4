package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.baton.events.signing.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;

/**
 * A node's enrolled identity, on the compacted enrollments topic keyed {@code cluster/node}: the
 * public key its heartbeats must be signed with, and the address the coordinator publishes for
 * it. Only an operator enrolls a node, and the record proves which one: {@link #signature} is the
 * operator's Ed25519 signature of {@link #signedText()}. The signature sits in the value, not in
 * a header as on heartbeats, because the coordinator keeps enrollments as the topic holds them
 * and record headers do not survive that.
 *
 * @param publicKey the node's Ed25519 public key, Base64 of its SubjectPublicKeyInfo
 * @param enrolledBy the operator whose key signed the enrollment
 * @param signature Base64 of that operator's signature of {@link #signedText()}
 */
@JsonPropertyOrder({
  "version", "cluster", "node", "host", "port", "publicKey", "enrolledBy", "enrolledAt", "signature"
})
public record Enrollment(
    @JsonProperty(required = true) int version,
    @JsonProperty(required = true) String cluster,
    @JsonProperty(required = true) String node,
    @JsonProperty(required = true) String host,
    @JsonProperty(required = true) int port,
    @JsonProperty(required = true) String publicKey,
    @JsonProperty(required = true) String enrolledBy,
    @JsonProperty(required = true) Instant enrolledAt,
    @JsonProperty(required = true) String signature) {

  public static final int VERSION = 1;
  /** The Base64 public key, as the JSON Schema states it. */
  public static final String PUBLIC_KEY_PATTERN =
      "^MCowBQYDK2VwAyEA[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=(?![\\s\\S])";
  /** The Base64 of a 64-byte signature, as the JSON Schema states it. */
  public static final String SIGNATURE_PATTERN = "^[A-Za-z0-9+/]{85}[AQgw]==(?![\\s\\S])";

  public Enrollment {
    Fields.version("version", version, VERSION);
    Names.require("cluster", cluster);
    Names.require("node", node);
    Hosts.require("host", host);
    Fields.port("port", port);
    Fields.required("publicKey", publicKey);
    if (Ed25519.parsePublicKey(publicKey).isEmpty()) {
      throw new InvalidFieldException(
          "publicKey", Printable.quote(publicKey) + " is not an Ed25519 public key (Base64 of"
              + " its SubjectPublicKeyInfo, starting " + Ed25519.PUBLIC_KEY_PREFIX + ")");
    }
    Names.require("enrolledBy", enrolledBy);
    Fields.required("enrolledAt", enrolledAt);
    Fields.required("signature", signature);
    if (Ed25519.parseSignature(signature).isEmpty()) {
      throw new InvalidFieldException(
          "signature", Printable.quote(signature) + " is not the Base64 of a 64-byte signature");
    }
  }

  /** Enrolls a node, signed by the operator {@code enrolledBy} with {@code operatorKey}. */
  public static Enrollment signed(
      String cluster, String node, String host, int port, String publicKey, String enrolledBy,
      Instant enrolledAt, PrivateKey operatorKey) {
    byte[] text = signedText(cluster, node, host, port, publicKey, enrolledBy, enrolledAt);
    String signature =
        java.util.Base64.getEncoder().encodeToString(Ed25519.sign(operatorKey, text));
    return new Enrollment(
        VERSION, cluster, node, host, port, publicKey, enrolledBy, enrolledAt, signature);
  }

  /** The Kafka key: {@code cluster/node}. */
  public String key() {
    return key(cluster, node);
  }

  public static String key(String cluster, String node) {
    return cluster + "/" + node;
  }

  /**
   * What the operator signs: every field but the signature, one per line after a line naming
   * the format. No field can hold a line break (names, hosts and Base64 cannot; a moment is
   * printed by {@link Instant#toString()}), so the text is unambiguous, and it does not depend
   * on how the JSON was spelled.
   */
  public byte[] signedText() {
    return signedText(cluster, node, host, port, publicKey, enrolledBy, enrolledAt);
  }

  private static byte[] signedText(
      String cluster, String node, String host, int port, String publicKey, String enrolledBy,
      Instant enrolledAt) {
    return String.join(
            "\n", "baton-enrollment/" + VERSION, cluster, node, host, Integer.toString(port),
            publicKey, enrolledBy, enrolledAt.toString())
        .getBytes(StandardCharsets.UTF_8);
  }
}

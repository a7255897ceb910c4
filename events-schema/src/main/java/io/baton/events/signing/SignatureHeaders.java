package io.baton.events.signing;

/**
 * Where heartbeats and operator requests carry their signature: in record headers, so the value
 * stays the plain JSON that {@code kafka-console-consumer} prints. The signature covers the
 * record's value bytes exactly as they are on the topic.
 */
public final class SignatureHeaders {
  /** The 64 bytes of the Ed25519 signature of the record's value. */
  public static final String SIGNATURE = "baton.signature";
  /**
   * On requests: the name of the operator whose key signed it (UTF-8). On heartbeats there is
   * none: the signer is the node the heartbeat names, in the cluster of the record key.
   */
  public static final String SIGNER = "baton.signer";

  private SignatureHeaders() {}
}

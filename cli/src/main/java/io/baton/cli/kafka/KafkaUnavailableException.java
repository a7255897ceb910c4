package io.baton.cli.kafka;

/** Kafka or one of Baton's topics cannot be reached; the message says which and what to check. */
public final class KafkaUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public KafkaUnavailableException(String message) {
    super(message);
  }
}

package io.baton.agent.postgres;

/** An action on PostgreSQL failed; the message says what and why, for the events topic. */
public final class PostgresException extends Exception {
  public PostgresException(String message) {
    super(message);
  }

  public PostgresException(String message, Throwable cause) {
    super(message, cause);
  }
}

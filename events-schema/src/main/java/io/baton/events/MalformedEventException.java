package io.baton.events;

/**
 * An event that could not be read: not JSON, or JSON that breaks the contract. The message
 * names the event kind and the field, e.g. {@code malformed heartbeat: field
 * 'postgres.receivedLsn': 'xyz' is not an LSN like 0/3000060}.
 */
public final class MalformedEventException extends RuntimeException {
  private final String field;

  public MalformedEventException(String kind, String field, String problem, Throwable cause) {
    super(
        Printable.escape(
            "malformed " + kind + ": "
                + (field.isEmpty() ? problem : "field '" + field + "' " + problem)),
        cause);
    this.field = field;
  }

  /** The dotted path of the offending field, or empty when the event as a whole is unreadable. */
  public String field() {
    return field;
  }
}

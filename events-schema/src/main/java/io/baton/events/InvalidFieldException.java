package io.baton.events;

/** A value that breaks the contract, naming the field relative to the record that holds it. */
public final class InvalidFieldException extends IllegalArgumentException {
  private final String field;

  public InvalidFieldException(String field, String problem) {
    super("field '" + field + "' " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }

  /** The problem without the field name, for messages that name the full path themselves. */
  public String problem() {
    return getMessage().substring(("field '" + field + "' ").length());
  }
}

package io.baton.testkit;

/**
 * A tool the test kit needs is not installed or not usable here. The message always says how to
 * install it: a missing tool fails the test loudly instead of skipping it, so a green run means
 * the real parts really ran.
 */
public class MissingToolException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public MissingToolException(String message) {
    super(message);
  }
}

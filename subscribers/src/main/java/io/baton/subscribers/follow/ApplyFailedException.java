package io.baton.subscribers.follow;

/** A change that could not be applied and that retrying would not fix; see {@link Target}. */
public final class ApplyFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  public ApplyFailedException(String message) {
    super(message);
  }
}

package io.baton.cli;

/** The CLI's exit statuses; scripts branch on them, so they never change meaning. */
public enum ExitCode {
  /** Done: the request completed, the status was shown. */
  OK(0),
  /** Refused or failed: the reason was printed. */
  FAILED(1),
  /** The timeout passed before the final answer; the operation may still finish. */
  TIMEOUT(3),
  /** The command line was not understood (sysexits EX_USAGE). */
  USAGE(64),
  /** Kafka or Baton's topics could not be reached (sysexits EX_UNAVAILABLE). */
  UNAVAILABLE(69),
  /** A bug: an unexpected exception (sysexits EX_SOFTWARE). */
  INTERNAL(70);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}

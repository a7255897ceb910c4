package io.baton.coordinator.trust;

/**
 * Why a record was not believed.
 *
 * @param subject the node or operator the record names, for telling refusals apart
 * @param message one sentence for the dead-letter header, the events topic and the log
 */
public record Refusal(Reason reason, String subject, String message) {
  public enum Reason {
    UNSIGNED,
    BAD_SIGNATURE,
    NOT_ENROLLED,
    ENROLLMENT_INVALID,
    ADDRESS_MISMATCH,
    UNKNOWN_OPERATOR,
    OPERATOR_NOT_ALLOWED
  }
}

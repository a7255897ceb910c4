package io.baton.coordinator.trust;

import io.baton.events.OperatorRequest;
import io.baton.events.Printable;
import io.baton.events.signing.Ed25519;
import java.util.Optional;

/**
 * Whether an operator request comes from an operator the coordinator knows and allows for the
 * request's cluster: signed, over its exact value bytes, with the key of the operator its
 * signer header names. The request is then acted on as that operator's; whatever its {@code
 * requestedBy} said is replaced.
 */
public final class RequestCheck {
  private RequestCheck() {}

  public sealed interface Verdict {
    record Verified(OperatorRequest request) implements Verdict {}

    record Refused(Refusal refusal) implements Verdict {}
  }

  public static Verdict verify(
      OperatorRequest request, byte[] value, Optional<byte[]> signature, Optional<String> signer,
      OperatorKeys keys) {
    String what = request.action().type() + " request for " + request.cluster();
    if (signature.isEmpty() || signer.isEmpty()) {
      return refused(Refusal.Reason.UNSIGNED, signer.orElse("nobody"),
          "an unsigned " + what + ": requests must be signed with an operator's key");
    }
    Optional<OperatorKeys.Operator> operator = keys.operator(signer.get());
    if (operator.isEmpty()) {
      return refused(Refusal.Reason.UNKNOWN_OPERATOR, "unknown",
          "a " + what + " signed by " + Printable.quote(signer.get())
              + ", whom the coordinator's operator keys do not list");
    }
    if (!Ed25519.verify(operator.get().key(), value, signature.get())) {
      return refused(Refusal.Reason.BAD_SIGNATURE, operator.get().name(),
          "a " + what + " naming " + operator.get().name() + " as its signer, not signed by"
              + " that operator's key");
    }
    if (!operator.get().allows(request.cluster())) {
      return refused(Refusal.Reason.OPERATOR_NOT_ALLOWED, operator.get().name(),
          "a " + what + " signed by " + operator.get().describe()
              + ", who may not act on cluster " + request.cluster());
    }
    return new Verdict.Verified(request.requestedBy(operator.get().name()));
  }

  private static Verdict refused(Refusal.Reason reason, String subject, String message) {
    return new Verdict.Refused(new Refusal(reason, subject, message));
  }
}

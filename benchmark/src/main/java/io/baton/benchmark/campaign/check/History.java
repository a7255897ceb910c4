package io.baton.benchmark.campaign.check;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a campaign recorded that the invariants are checked on; all stamps CLOCK_MONOTONIC.
 *
 * @param startNanos when the campaign began: times in descriptions are counted from it
 * @param nodeWrites per node, the attempts of the writer beside it, writing to it directly
 * @param clientWrites the attempts of the client that follows the master topic
 * @param masters the master records in the order they were seen
 * @param convergence one check per step
 * @param onFinalPrimary the client's sequence numbers found on the final primary; empty when
 *     there was no final primary to ask (the cluster never converged)
 * @param zeroLoss spans in which synchronous mode promised that no acknowledged write is lost
 */
public record History(
    long startNanos,
    Map<String, List<Write>> nodeWrites,
    List<Write> clientWrites,
    List<MasterChange> masters,
    List<ConvergenceCheck> convergence,
    Optional<Set<Long>> onFinalPrimary,
    List<Window> zeroLoss) {

  public History {
    Map<String, List<Write>> copy = new LinkedHashMap<>();
    nodeWrites.forEach((node, writes) -> copy.put(node, List.copyOf(writes)));
    nodeWrites = java.util.Collections.unmodifiableMap(copy);
    clientWrites = List.copyOf(clientWrites);
    masters = masters.stream().sorted(Comparator.comparingLong(MasterChange::epoch)).toList();
    convergence = List.copyOf(convergence);
    onFinalPrimary = onFinalPrimary.map(Set::copyOf);
    zeroLoss = List.copyOf(zeroLoss);
  }

  /**
   * When the campaign stopped on a step that never converged: from the moment the previous step
   * converged (or the beginning). Empty when every step converged.
   */
  public java.util.OptionalLong stuckSince() {
    if (convergence.isEmpty() || convergence.get(convergence.size() - 1).convergedNanos()
        .isPresent()) {
      return java.util.OptionalLong.empty();
    }
    return java.util.OptionalLong.of(convergence.stream()
        .flatMap(c -> c.convergedNanos().stream()).reduce((a, b) -> b).orElse(startNanos));
  }

  /** A stamp as seconds since the campaign began, e.g. {@code +12.345 s}. */
  public String at(long nanos) {
    return String.format(java.util.Locale.ROOT, "+%.3f s", (nanos - startNanos) / 1e9);
  }
}

package io.baton.benchmark.campaign.check;

import java.util.Optional;

/**
 * How the cluster came back after the faults of one step were healed.
 *
 * @param step the step, counting from 1
 * @param healedNanos CLOCK_MONOTONIC when the last fault of the step was undone
 * @param convergedNanos when exactly one node was writable, the newest master record named it,
 *     every other node streamed from it on its timeline, and the client had written again; empty
 *     when that was not seen before the campaign gave up waiting
 * @param lastSeen the cluster as last seen while waiting, for the report
 */
public record ConvergenceCheck(int step, long healedNanos, Optional<Long> convergedNanos,
    String lastSeen) {}

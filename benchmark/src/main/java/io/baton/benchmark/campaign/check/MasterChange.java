package io.baton.benchmark.campaign.check;

/**
 * A master record as the campaign saw it on the master topic.
 *
 * @param observedNanos CLOCK_MONOTONIC when the campaign read it: a little after it was
 *     published, so rules measured from it lean towards Baton, never against it
 * @param reason the record's reason; a switchover's starts with "switchover"
 */
public record MasterChange(long epoch, String node, long observedNanos, String reason) {

  /** A planned handover (or the drained primary taken back): it must lose no acknowledged write. */
  public boolean isSwitchover() {
    return reason.startsWith("switchover");
  }
}

package io.baton.cli.rollingrestart;

import io.baton.cli.cluster.HeartbeatRecord;

/** Where a node's restart stands, as its heartbeats show it. */
public sealed interface CatchUp {
  /** Not there yet; {@code what} says what the node is doing, for the progress. */
  record Waiting(String what) implements CatchUp {}

  /** Restarted, streaming from the master, and holding the WAL it had to reach. */
  record CaughtUp(HeartbeatRecord proof) implements CatchUp {}

  /** The restart failed; no point waiting. */
  record Failed(String why) implements CatchUp {}
}

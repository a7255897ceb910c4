package io.baton.client;

/**
 * No master is known for a cluster: the follower has not caught up yet, the cluster has no record
 * on the master topic, or it is not one of the followed clusters. The message says which.
 */
public final class NoMasterException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public NoMasterException(String message) {
    super(message);
  }
}

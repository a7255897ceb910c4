/**
 * What every subscriber shares: a {@link io.baton.client.MasterFollower} with its own consumer
 * group, and one worker thread that applies the newest change of each cluster to a {@link
 * io.baton.subscribers.follow.Target}, retries failures, and keeps the numbers the metrics
 * endpoint shows.
 */
package io.baton.subscribers.follow;

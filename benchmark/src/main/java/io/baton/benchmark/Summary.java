package io.baton.benchmark;

/**
 * One metric over the successful runs of a scenario.
 *
 * @param count how many runs gave a value
 * @param median the middle value (the mean of the two middle ones for an even count)
 * @param p99 the 99th percentile, nearest rank: with fewer than 100 values it is the maximum
 */
public record Summary(int count, double median, double p99, double min, double max) {}

/**
 * The benchmark's scenarios: faults that fail the primary over (or hit a
 * standby), planned switchovers, and the subscribers' reaction to master changes.
 */
package io.baton.benchmark.scenarios;

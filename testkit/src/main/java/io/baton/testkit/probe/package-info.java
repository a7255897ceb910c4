/**
 * The benchmark's write probe: {@link io.baton.testkit.probe.WriteProbe} writes a numbered row
 * every 10 ms and records every attempt; {@link io.baton.testkit.probe.ProbeResults} turns the
 * attempts into write outages and lost writes; {@link io.baton.testkit.probe.ProbeWriterMain} and
 * {@link io.baton.testkit.probe.ProbeLog} run the probe in another process (or namespace) and read
 * its record back.
 */
package io.baton.testkit.probe;

/**
 * {@code baton rolling-restart}: every standby, one switchover, the old primary. The {@link
 * io.baton.cli.rollingrestart.Planner} and {@link io.baton.cli.rollingrestart.RestartTracker}
 * decide without I/O; {@link io.baton.cli.rollingrestart.RollingRestart} acts and waits.
 */
package io.baton.cli.rollingrestart;

/**
 * How an agent brings its PostgreSQL to the goal state it was assigned: one table, {@link
 * io.baton.agent.convergence.ConvergenceTable}, of (goal, what PostgreSQL is now) -> next action,
 * each cell with one line saying why. Pure: no I/O, no clock; the supervisor gathers the {@link
 * io.baton.agent.convergence.Situation}, asks the table, and carries the action out.
 */
package io.baton.agent.convergence;

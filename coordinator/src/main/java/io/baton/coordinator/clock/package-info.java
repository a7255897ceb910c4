/** The clock failure detection runs on: broker append times, never back, never leaping. */
package io.baton.coordinator.clock;

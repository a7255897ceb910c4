/** The clocks the lease is measured on, and noticing that the machine was suspended. */
package io.baton.agent.clock;

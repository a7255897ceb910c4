/** The node's signing key: made or loaded at start, printed for enrollment. */
package io.baton.agent.identity;

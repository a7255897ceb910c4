/** The coordinator's timing and safety knobs, shared by every cluster it runs. */
package io.baton.coordinator.policy;

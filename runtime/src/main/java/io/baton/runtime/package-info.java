/** What every Baton process shares: Kafka settings, configuration checks, parent watching. */
package io.baton.runtime;

/** {@code baton status}: the cluster at a glance, as a table or JSON, from Kafka alone. */
package io.baton.cli.status;

/** {@code baton events}: the events topic of one cluster, one line per decision. */
package io.baton.cli.events;

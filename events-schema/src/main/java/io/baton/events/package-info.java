/**
 * The contract between Baton's parts: every record that crosses Kafka, as a versioned JSON
 * event with a JSON Schema next to it ({@code io/baton/events/schema/*.schema.json}).
 *
 * <p>Readers tolerate fields they do not know; a malformed or incomplete event is rejected by
 * {@link io.baton.events.EventCodec} with a {@link io.baton.events.MalformedEventException}
 * that names the field. Optional values are {@link java.util.Optional}, never null.
 */
package io.baton.events;

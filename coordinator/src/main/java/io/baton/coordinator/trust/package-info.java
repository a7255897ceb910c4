/**
 * Who may move a primary, decided before anything else: a heartbeat counts only when signed by
 * the key enrolled for the node it names, in the cluster of its record key, and sent from the
 * enrolled address; a request only when signed by an operator the coordinator knows and allows
 * for that cluster; an enrollment only when signed by such an operator. Pure: the records, the
 * keys and the time are inputs.
 */
package io.baton.coordinator.trust;

/**
 * How records prove who wrote them: Ed25519 keys and signatures (JDK only), the headers that
 * carry a signature, and the Base64 forms of keys and signatures in records and files.
 */
package io.baton.events.signing;

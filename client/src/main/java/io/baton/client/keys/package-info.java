/** Ed25519 key files: reading, creating with owner-only permissions, printing public keys. */
package io.baton.client.keys;

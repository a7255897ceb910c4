/**
 * Throwaway certificate authorities for tests and the demo: a CA and server certificates made
 * with Debian's openssl, in a directory the caller owns and removes.
 */
package io.baton.testkit.tls;

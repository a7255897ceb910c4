/**
 * How Baton's own tools call the agents' and the coordinator's HTTP APIs: a bearer token read from
 * a file or the environment (never a command line) and, for https, the certificate authority to
 * trust.
 */
package io.baton.client.apiaccess;

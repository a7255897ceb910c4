/**
 * Operator requests: send one to the coordinator, print each answering event as it arrives, and
 * exit 0 when completed, 1 when refused or failed, 3 when the timeout passed first.
 */
package io.baton.cli.request;

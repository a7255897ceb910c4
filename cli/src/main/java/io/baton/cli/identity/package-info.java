/** Who may speak for what: enrolling nodes, and making an operator's key. */
package io.baton.cli.identity;

/** Real HAProxy and PgBouncer processes, from Debian's packages, for subscriber tests. */
package io.baton.testkit.proxy;

/** Local network helpers: {@link io.baton.testkit.net.FreePorts}. */
package io.baton.testkit.net;

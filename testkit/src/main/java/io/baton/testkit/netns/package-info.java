/**
 * Network cuts for real: {@link io.baton.testkit.netns.NetworkLab} puts processes in Linux network
 * namespaces on a private bridge and cuts or heals each one's link. Needs root.
 */
package io.baton.testkit.netns;

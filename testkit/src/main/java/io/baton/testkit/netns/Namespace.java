package io.baton.testkit.netns;

/**
 * A network namespace of a {@link NetworkLab}.
 *
 * @param name the namespace's name, for {@code ip netns exec} and {@link
 *     io.baton.testkit.process.JvmLauncher#inNamespace(String)}
 * @param address its IPv4 address on the lab's bridge network (interface {@code eth0} inside)
 */
public record Namespace(String name, String address) {}

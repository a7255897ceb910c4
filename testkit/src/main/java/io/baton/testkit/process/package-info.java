/**
 * Child processes tests can signal, freeze and kill for real: {@link
 * io.baton.testkit.process.JvmLauncher} starts a main class in a child JVM (optionally inside a
 * network namespace), {@link io.baton.testkit.process.ChildProcess} is the running process, and
 * {@link io.baton.testkit.process.Processes} makes sure none outlives the test JVM. {@link
 * io.baton.testkit.process.Command} runs short commands to completion.
 */
package io.baton.testkit.process;

/**
 * {@code baton}, the operator's command line: {@link io.baton.cli.BatonCli#run} parses the
 * arguments, runs one {@link io.baton.cli.Command} and returns its {@link io.baton.cli.ExitCode}.
 */
package io.baton.cli;

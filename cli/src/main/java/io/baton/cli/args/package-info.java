/**
 * A small command-line parser: commands with positional arguments and {@code --options}, their
 * help, and usage errors (exit status 64). Hand-written so the CLI starts without a framework.
 */
package io.baton.cli.args;

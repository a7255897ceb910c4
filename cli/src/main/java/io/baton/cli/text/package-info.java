/** How the CLI writes durations, sizes, times and tables for people. */
package io.baton.cli.text;

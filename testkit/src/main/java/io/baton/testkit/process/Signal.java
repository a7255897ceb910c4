package io.baton.testkit.process;

/** The signals tests send to child processes, by their {@code kill -s} names. */
public enum Signal {
  /** Freezes the process: it keeps its sockets open but answers nothing, like a hung node. */
  STOP,
  CONT,
  TERM,
  KILL,
  /** A JVM prints a thread dump to its stdout and keeps running. */
  QUIT,
  INT,
  HUP
}

package io.baton.agent.postgres;

import java.sql.SQLException;
import java.util.Objects;

/**
 * The one place SQL errors are classified (pgjdbc sets the server's SQLState, or its own for
 * connection problems): class 08 is a connection problem and worth retrying, class 28 an
 * authentication failure that no retry fixes, 57P03 a server not accepting connections yet.
 */
final class SqlErrors {
  static final String CANNOT_CONNECT_NOW = "57P03";

  private SqlErrors() {}

  static boolean isAuthentication(SQLException e) {
    return state(e).startsWith("28");
  }

  static boolean isConnection(SQLException e) {
    return state(e).startsWith("08");
  }

  static boolean isCannotConnectNow(SQLException e) {
    return state(e).equals(CANNOT_CONNECT_NOW);
  }

  /** A one-line message for the events topic: what failed, what kind of failure, and why. */
  static String describe(String what, SQLException e) {
    String reason = firstLine(e.getMessage());
    if (isAuthentication(e)) {
      return what + ": authentication failed (SQLState " + state(e) + ", permanent until the"
          + " agent's database password or pg_hba.conf is fixed): " + reason;
    }
    if (isConnection(e)) {
      return what + ": connection failed (SQLState " + state(e) + ", retriable): " + reason;
    }
    return what + " failed (SQLState " + state(e) + "): " + reason;
  }

  private static String state(SQLException e) {
    return Objects.requireNonNullElse(e.getSQLState(), "");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}

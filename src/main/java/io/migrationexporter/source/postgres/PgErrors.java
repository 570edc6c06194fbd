package io.migrationexporter.source.postgres;

import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.source.TransportError;
import java.sql.SQLException;
import java.util.Map;

/**
 * Turns a driver exception into a {@link SourceException} whose message is built only from the
 * SQLSTATE and the configuration (user, host, database): a driver message can quote a URL, a
 * parameter or a value of the database, so none of it is passed on.
 */
final class PgErrors {
  /** Words for the SQLSTATE classes a user's query may meet; the class is the first 2 characters. */
  private static final Map<String, String> CLASSES = Map.ofEntries(
      Map.entry("08", "connection failure"),
      Map.entry("22", "data exception"),
      Map.entry("23", "integrity constraint violation"),
      Map.entry("25", "invalid transaction state (the exporter's sessions are read-only)"),
      Map.entry("28", "authentication refused"),
      Map.entry("3D", "database does not exist"),
      Map.entry("40", "transaction rollback"),
      Map.entry("42", "syntax error, unknown object or missing privilege"),
      Map.entry("53", "insufficient resources on the server"),
      Map.entry("54", "program limit exceeded"),
      Map.entry("55", "object not in prerequisite state"),
      Map.entry("57", "operator intervention (canceled, shutting down)"),
      Map.entry("58", "system error on the server"),
      Map.entry("XX", "internal error on the server"));

  private PgErrors() {}

  /** The error of a connection attempt or of one of the exporter's own queries. */
  static SourceException of(SQLException e, ConnectionSettings settings) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return switch (state) {
      case "28P01" -> new SourceException(ErrorKind.AUTH,
          "password authentication failed for user " + settings.user());
      case "28000" -> new SourceException(ErrorKind.AUTH, "user " + settings.user()
          + " may not connect to " + settings.target() + " (no pg_hba.conf entry, or role cannot log in)");
      case "3D000" -> new SourceException(ErrorKind.NOT_FOUND, "database " + settings.database()
          + " does not exist on " + settings.target());
      case "42501" -> new SourceException(ErrorKind.AUTH, "permission denied to user "
          + settings.user() + " (grant it pg_monitor)");
      case "57014" -> new SourceException(ErrorKind.TIMEOUT,
          "a query took longer than statement_timeout and was canceled");
      case "55P03" -> new SourceException(ErrorKind.TIMEOUT,
          "a query waited longer than lock_timeout for a lock");
      case "53300" -> new SourceException(ErrorKind.SERVER,
          "too many connections on " + settings.target());
      case "57P01", "57P02" -> new SourceException(ErrorKind.TRANSPORT,
          "the server at " + settings.target() + " is shutting down or restarting");
      case "57P03" -> new SourceException(ErrorKind.TRANSPORT,
          "the server at " + settings.target() + " is starting up or not accepting connections");
      default -> state.startsWith("08") || state.isEmpty() ? transport(e, settings)
          : new SourceException(ErrorKind.SERVER, "database error " + describe(e));
    };
  }

  private static SourceException transport(SQLException e, ConnectionSettings settings) {
    // The driver's own words (not localised by default) are the only sign of this refusal.
    if (e.getMessage() != null && e.getMessage().contains("does not support SSL")) {
      return new SourceException(ErrorKind.TRANSPORT, "the server at " + settings.target()
          + " declines TLS, and tls.mode " + settings.tls().map(ConnectionSettings.TlsSettings::mode)
              .orElse("") + " does not send the password in clear; enable TLS on the server, or"
          + " set tls.mode = prefer where the network is trusted (see docs/postgres.md)");
    }
    TransportError error = TransportError.classify(e);
    ErrorKind kind = error.kind().equals(TransportError.TIMEOUT) ? ErrorKind.TIMEOUT
        : ErrorKind.TRANSPORT;
    String words = error.kind().equals(TransportError.IO) ? "connection lost" : error.words();
    return new SourceException(kind, "cannot reach " + settings.target() + ": " + words);
  }

  /** SQLSTATE and its class in words, safe to show: "SQLSTATE 42P01 (syntax error, ...)". */
  static String describe(SQLException e) {
    String state = e.getSQLState() == null ? "none" : e.getSQLState();
    String words = state.length() >= 2 ? CLASSES.get(state.substring(0, 2)) : null;
    return "SQLSTATE " + state + (words == null ? "" : " (" + words + ")");
  }

  /** True when the session is unusable after this error: connection classes and shutdowns. */
  static boolean breaksSession(SQLException e) {
    String state = e.getSQLState();
    return state == null || state.startsWith("08") || state.startsWith("57P");
  }
}

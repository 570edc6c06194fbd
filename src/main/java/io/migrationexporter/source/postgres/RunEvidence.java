package io.migrationexporter.source.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What tells an interrupted step from a finished one when its statement is gone: when the server
 * last started (a restart rolls back every open transaction), and how many transactions of the
 * database rolled back (a failed or cancelled statement adds one; the count is database-wide).
 */
record RunEvidence(Instant postmasterStart, long rollbacks) {
  private static final String SQL = """
      SELECT pg_postmaster_start_time(), d.xact_rollback
      FROM pg_catalog.pg_stat_database d WHERE d.datname = current_database()
      """;

  static RunEvidence read(Session session) throws SQLException {
    try (PreparedStatement statement = session.connection().prepareStatement(SQL);
        ResultSet row = statement.executeQuery()) {
      if (!row.next()) {
        throw new SQLException("no pg_stat_database row for the current database", "XX000");
      }
      return new RunEvidence(ActivityQuery.instant(row.getTimestamp(1)), row.getLong(2));
    }
  }
}

package io.migrationexporter.source.postgres;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code pg_stat_activity} for the database: one row per client backend and parallel worker,
 * the exporter's own sessions left out. {@code pg_blocking_pids} is called only for backends that
 * wait on a lock: it takes the lock manager's partition locks for a moment, so calling it on every
 * backend at every refresh would cost the server for nothing.
 */
final class ActivityQuery {
  private static final String SQL = """
      SELECT a.pid, %s AS leader_pid, a.backend_type = 'parallel worker', a.usename::text,
             a.application_name, a.state, a.wait_event_type, a.wait_event, a.backend_start,
             a.xact_start, a.query_start, a.state_change,
             CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) END,
             left(a.query, 4096), n.now
      FROM (SELECT statement_timestamp() AS now) n
      LEFT JOIN pg_catalog.pg_stat_activity a
        ON a.datname = current_database() AND a.pid <> pg_backend_pid()
        AND a.backend_type IN ('client backend', 'parallel worker')
        AND a.application_name IS DISTINCT FROM '%s'
      """;

  /** What the database was doing at {@code at} (the server's clock, to compare with query_start). */
  record Snapshot(Instant at, List<Backend> backends) {}

  private ActivityQuery() {}

  static Snapshot read(Session session) throws SQLException {
    String leader = session.server().version() >= 130000 ? "coalesce(a.leader_pid, 0)" : "0";
    String sql = SQL.formatted(leader, ConnectionSettings.APPLICATION_NAME);
    List<Backend> backends = new ArrayList<>();
    Instant at = null;
    try (PreparedStatement statement = session.connection().prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        at = instant(row.getTimestamp(15));
        if (row.getObject(1) == null) {
          continue; // the one row of an idle database: only the time
        }
        backends.add(new Backend(row.getInt(1), row.getInt(2), row.getBoolean(3),
            nonNull(row.getString(4)), nonNull(row.getString(5)), nonNull(row.getString(6)),
            nonNull(row.getString(7)), nonNull(row.getString(8)), instant(row.getTimestamp(9)),
            instant(row.getTimestamp(10)), instant(row.getTimestamp(11)),
            instant(row.getTimestamp(12)), pids(row.getArray(13)), nonNull(row.getString(14))));
      }
    }
    return new Snapshot(at, List.copyOf(backends));
  }

  private static List<Integer> pids(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    List<Integer> pids = new ArrayList<>();
    for (Object pid : (Object[]) array.getArray()) {
      pids.add(((Number) pid).intValue());
    }
    return List.copyOf(pids);
  }

  static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static String nonNull(String text) {
    return text == null ? "" : text;
  }
}

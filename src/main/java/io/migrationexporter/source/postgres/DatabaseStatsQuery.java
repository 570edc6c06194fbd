package io.migrationexporter.source.postgres;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Reading;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Database activity for the charts people watch during a window (transactions, tuples, blocks,
 * WAL), as counters from {@code pg_stat_database}, the WAL position, and {@code pg_stat_io} on
 * PostgreSQL 16 and later. Returns the WAL position, which the rewrite estimate follows.
 */
final class DatabaseStatsQuery {
  private static final String SQL = """
      SELECT d.xact_commit, d.xact_rollback, d.blks_read, d.blks_hit, d.tup_returned,
             d.tup_fetched, d.tup_inserted, d.tup_updated, d.tup_deleted, d.temp_bytes, d.deadlocks,
             (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn()
              END - '0/0'::pg_lsn)::float8
      FROM pg_catalog.pg_stat_database d WHERE d.datname = current_database()
      """;
  /** Bytes by backend type; {@code op_bytes} became per-operation byte columns in PostgreSQL 18. */
  private static final String IO_16 = """
      SELECT backend_type, sum(coalesce(reads, 0) * op_bytes)::float8,
             sum(coalesce(writes, 0) * op_bytes)::float8, sum(coalesce(extends, 0) * op_bytes)::float8
      FROM pg_catalog.pg_stat_io GROUP BY backend_type
      """;
  private static final String IO_18 = """
      SELECT backend_type, sum(coalesce(read_bytes, 0))::float8,
             sum(coalesce(write_bytes, 0))::float8, sum(coalesce(extend_bytes, 0))::float8
      FROM pg_catalog.pg_stat_io GROUP BY backend_type
      """;

  static final MetricDef TRANSACTIONS = MetricDef.counter("migration_pg_transactions",
      "Transactions of the database by result (commit, rollback), from pg_stat_database.",
      "database", "result");
  static final MetricDef TUPLES = MetricDef.counter("migration_pg_tuples",
      "Rows of the database by operation (returned, fetched, inserted, updated, deleted).",
      "database", "operation");
  static final MetricDef BLOCKS = MetricDef.counter("migration_pg_blocks",
      "Blocks the database needed, by where they came from: read (from disk or the OS cache) or"
          + " hit (shared buffers).", "database", "access");
  static final MetricDef TEMP_BYTES = MetricDef.counter("migration_pg_temp_bytes",
      "Bytes written to temporary files by the database's queries (sorts, hashes).", "database");
  static final MetricDef DEADLOCKS = MetricDef.counter("migration_pg_deadlocks",
      "Deadlocks detected in the database.", "database");
  static final MetricDef WAL_BYTES = MetricDef.counter("migration_pg_wal_bytes",
      "WAL position of the server in bytes (written WAL; replayed WAL on a standby): its rate is"
          + " the server's write volume.", "database");
  static final MetricDef IO_BYTES = MetricDef.counter("migration_pg_io_bytes",
      "Bytes read, written and extended by the whole server, by backend type, from pg_stat_io"
          + " (PostgreSQL 16 and later).", "database", "backend_type", "operation");

  private DatabaseStatsQuery() {}

  /** Reads the counters into {@code out} and returns the WAL position in bytes. */
  static long read(Session session, String database, Reading.Builder out) throws SQLException {
    long wal;
    try (PreparedStatement statement = session.connection().prepareStatement(SQL);
        ResultSet row = statement.executeQuery()) {
      if (!row.next()) {
        throw new SQLException("no pg_stat_database row for the current database", "XX000");
      }
      out.sample(TRANSACTIONS, row.getDouble(1), database, "commit");
      out.sample(TRANSACTIONS, row.getDouble(2), database, "rollback");
      out.sample(BLOCKS, row.getDouble(3), database, "read");
      out.sample(BLOCKS, row.getDouble(4), database, "hit");
      String[] operations = {"returned", "fetched", "inserted", "updated", "deleted"};
      for (int i = 0; i < operations.length; i++) {
        out.sample(TUPLES, row.getDouble(5 + i), database, operations[i]);
      }
      out.sample(TEMP_BYTES, row.getDouble(10), database);
      out.sample(DEADLOCKS, row.getDouble(11), database);
      wal = (long) row.getDouble(12);
      out.sample(WAL_BYTES, wal, database);
    }
    if (session.server().has("pg_stat_io")) {
      String sql = session.server().version() >= 180000 ? IO_18 : IO_16;
      try (PreparedStatement statement = session.connection().prepareStatement(sql);
          ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          String type = row.getString(1);
          out.sample(IO_BYTES, row.getDouble(2), database, type, "read");
          out.sample(IO_BYTES, row.getDouble(3), database, type, "write");
          out.sample(IO_BYTES, row.getDouble(4), database, type, "extend");
        }
      }
    }
    return wal;
  }
}

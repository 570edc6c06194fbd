package io.migrationexporter.source.postgres;

import io.migrationexporter.migration.RelationVolume;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The size of a table and of what a rewrite rebuilds with it (indexes, TOAST), from
 * {@code pg_class.relpages} and {@code reltuples}: catalog columns that a migration's ACCESS
 * EXCLUSIVE lock does not block, unlike {@code pg_relation_size}. They are as of the table's last
 * VACUUM or ANALYZE.
 *
 * @param liveFraction the share of live rows among those the statistics count
 *     ({@code n_live_tup}, {@code n_dead_tup}), when they describe the same table as
 *     {@code relpages}: no more than 10 % of the rows modified since the last ANALYZE; else 1
 */
record RelationSize(long heapBytes, double tuples, long indexBytes, long toastBytes,
    double liveFraction) {
  private static final String SQL = """
      SELECT c.relpages::bigint * b.size, greatest(c.reltuples, 0)::float8,
             coalesce((SELECT sum(i.relpages) FROM pg_catalog.pg_index x
                       JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
                       WHERE x.indrelid = c.oid), 0)::bigint * b.size,
             (coalesce(t.relpages, 0) + coalesce((SELECT sum(i.relpages) FROM pg_catalog.pg_index x
                       JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
                       WHERE x.indrelid = t.oid), 0))::bigint * b.size,
             CASE WHEN s.n_live_tup > 0 AND s.n_mod_since_analyze <= 0.1 * s.n_live_tup
                  THEN s.n_live_tup::float8 / (s.n_live_tup + s.n_dead_tup) ELSE 1 END
      FROM (SELECT current_setting('block_size')::bigint AS size) b
      JOIN pg_catalog.pg_class c ON c.oid = to_regclass(?)
      LEFT JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid
      LEFT JOIN pg_catalog.pg_stat_all_tables s ON s.relid = c.oid
      """;

  /** The table's heap size and rows, as the journal and the expected durations take them. */
  RelationVolume volume(String table) {
    return new RelationVolume(Optional.of(table), heapBytes, Math.round(tuples));
  }

  /** Empty when no table has that name in the exporter's search path. */
  static Optional<RelationSize> read(Session session, String table) throws SQLException {
    try (PreparedStatement statement = session.connection().prepareStatement(SQL)) {
      statement.setString(1, table);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(new RelationSize(row.getLong(1), row.getDouble(2), row.getLong(3),
            row.getLong(4), row.getDouble(5)));
      }
    }
  }
}

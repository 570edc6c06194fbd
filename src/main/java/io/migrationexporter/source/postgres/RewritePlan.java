package io.migrationexporter.source.postgres;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a rewrite does after the heap, in the order PostgreSQL does it: it rebuilds every index of
 * the table, by OID (the indexes on an altered column are dropped and created again, so they come
 * last), then validates the foreign keys that reference or are referenced by an altered column,
 * joining both tables of each. Read from the catalog ({@code pg_index}, {@code pg_class.relpages}
 * and {@code reltuples}, {@code pg_constraint}), which a migration's ACCESS EXCLUSIVE lock does
 * not block.
 *
 * @param indexes the indexes rebuilt, in build order
 * @param foreignKeyRows the rows the foreign-key validations join: referencing plus referenced
 *     table, for each key validated (a validation's time follows its rows, not its bytes: the
 *     traces of bench/eta.sh agree within 15 % in rows for tables of different row widths)
 */
record RewritePlan(List<Index> indexes, double foreignKeyRows) {
  /** One index to rebuild and its size before the step. */
  record Index(String name, long bytes) {}

  private static final Pattern ALTERED_COLUMN = Pattern.compile(
      "ALTER\\s+(?:COLUMN\\s+)?(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)\\s+"
          + "(?:SET\\s+DATA\\s+)?TYPE\\b", Pattern.CASE_INSENSITIVE);
  private static final String INDEXES = """
      SELECT i.relname::text, i.relpages::bigint * current_setting('block_size')::bigint
      FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = to_regclass(?) ORDER BY
        -- indexes on an altered column are created again, after the others
        EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = x.indrelid
                AND a.attnum = ANY (x.indkey) AND a.attname = ANY (?)), x.indexrelid
      """;
  private static final String FOREIGN_KEYS = """
      SELECT t.oid IS NOT NULL,
             coalesce(sum(greatest(r.reltuples, 0) + greatest(f.reltuples, 0)), 0)::float8
      FROM (SELECT to_regclass(?) AS oid, ?::text[] AS columns) t
      LEFT JOIN pg_catalog.pg_constraint c ON c.contype = 'f' AND (
        c.conrelid = t.oid AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
              AND a.attname = ANY (t.columns))
        OR c.confrelid = t.oid AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = c.confrelid AND a.attnum = ANY (c.confkey)
              AND a.attname = ANY (t.columns)))
      LEFT JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
      LEFT JOIN pg_catalog.pg_class f ON f.oid = c.confrelid
      GROUP BY t.oid
      """;

  RewritePlan {
    indexes = List.copyOf(indexes);
  }

  /** Empty when no table has that name in the exporter's search path. */
  static Optional<RewritePlan> read(Session session, String table, String statement)
      throws SQLException {
    Array columns = session.connection().createArrayOf("text",
        alteredColumns(statement).toArray());
    double foreignKeyRows;
    try (PreparedStatement query = session.connection().prepareStatement(FOREIGN_KEYS)) {
      query.setString(1, table);
      query.setArray(2, columns);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        if (!row.getBoolean(1)) {
          return Optional.empty();
        }
        foreignKeyRows = row.getDouble(2);
      }
    }
    List<Index> indexes = new ArrayList<>();
    try (PreparedStatement query = session.connection().prepareStatement(INDEXES)) {
      query.setString(1, table);
      query.setArray(2, columns);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          indexes.add(new Index(row.getString(1), row.getLong(2)));
        }
      }
    }
    return Optional.of(new RewritePlan(indexes, foreignKeyRows));
  }

  /** The columns an ALTER TABLE changes the type of, as the catalog names them. */
  static List<String> alteredColumns(String statement) {
    List<String> columns = new ArrayList<>();
    Matcher matcher = ALTERED_COLUMN.matcher(statement);
    while (matcher.find()) {
      String name = matcher.group(1);
      columns.add(name.startsWith("\"")
          ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
          : name.toLowerCase(Locale.ROOT));
    }
    return columns;
  }
}

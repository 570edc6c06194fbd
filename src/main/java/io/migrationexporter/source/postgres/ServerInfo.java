package io.migrationexporter.source.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the server a session landed on can do, read once per new session: a failover or an
 * upgrade brings a new session, so a new look.
 *
 * @param version {@code server_version_num}, such as 160010
 * @param walLevel {@code minimal} makes a table rewrite skip the WAL, which the estimate needs
 * @param views the statistics views present among those the exporter reads
 *     ({@code pg_stat_progress_*}, {@code pg_stat_io})
 */
record ServerInfo(int version, String walLevel, Set<String> views) {
  private static final String SQL = """
      SELECT current_setting('server_version_num')::int, current_setting('wal_level'),
             array(SELECT c.relname::text FROM pg_catalog.pg_class c
                   WHERE c.relnamespace = 'pg_catalog'::regnamespace
                     AND (c.relname LIKE 'pg\\_stat\\_progress\\_%' OR c.relname = 'pg_stat_io'))
      """;

  static ServerInfo read(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SQL);
        ResultSet row = statement.executeQuery()) {
      row.next();
      Set<String> views = new TreeSet<>();
      Array names = row.getArray(3);
      for (Object name : (Object[]) names.getArray()) {
        views.add((String) name);
      }
      return new ServerInfo(row.getInt(1), row.getString(2), Set.copyOf(views));
    }
  }

  boolean has(String view) {
    return views.contains(view);
  }
}

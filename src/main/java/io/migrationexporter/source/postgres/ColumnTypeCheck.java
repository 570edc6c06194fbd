package io.migrationexporter.source.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an {@code ALTER TABLE ... ALTER COLUMN ... TYPE} took effect, from the catalog: each
 * column it changes has the target type. A statement that was cancelled, failed or rolled back
 * looks the same as a finished one in {@code pg_stat_activity}; the column's type tells them apart.
 *
 * @param table the table as written (quotes kept), for {@code to_regclass}
 * @param columns the columns the statement changes and their target types, as written
 */
record ColumnTypeCheck(String table, List<Column> columns) {
  /** One changed column: its name as stored in the catalog, and the target type as written. */
  record Column(String name, String type) {}

  private static final String IDENT = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
  private static final Pattern STATEMENT = Pattern.compile(
      "\\s*ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?(" + IDENT + "(?:\\s*\\.\\s*"
          + IDENT + ")?)\\s*\\*?\\s+(.*?)\\s*;?\\s*",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern TYPE_CHANGE = Pattern.compile(
      "ALTER\\s+(?:COLUMN\\s+)?(" + IDENT + ")\\s+(?:SET\\s+DATA\\s+)?TYPE\\s+(.+?)"
          + "(?:\\s+(?:COLLATE|USING)\\b.*)?",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  /** Is the column's type the target type? NULL when the table, column or type is not found. */
  private static final String SQL = """
      SELECT CASE WHEN to_regtype(?) IS NULL THEN NULL ELSE a.atttypid = to_regtype(?)::oid END
      FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped
      """;

  static Optional<ColumnTypeCheck> of(String statement) {
    Matcher matcher = STATEMENT.matcher(statement);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    List<Column> columns = new ArrayList<>();
    for (String action : topLevelParts(matcher.group(2))) {
      Matcher change = TYPE_CHANGE.matcher(action.trim());
      if (change.matches()) {
        columns.add(new Column(catalogName(change.group(1)), change.group(2).trim()));
      }
    }
    return columns.isEmpty() ? Optional.empty()
        : Optional.of(new ColumnTypeCheck(matcher.group(1).replaceAll("\\s*\\.\\s*", "."),
            List.copyOf(columns)));
  }

  /**
   * True when every column has its target type, false when one has not, empty when the catalog
   * cannot say (the table, a column or the type is not found from the exporter's search path).
   */
  Optional<Boolean> holds(Session session) throws SQLException {
    boolean all = true;
    try (PreparedStatement query = session.connection().prepareStatement(SQL)) {
      for (Column column : columns) {
        query.setString(1, column.type());
        query.setString(2, column.type());
        query.setString(3, table);
        query.setString(4, column.name());
        try (ResultSet row = query.executeQuery()) {
          if (!row.next() || row.getObject(1) == null) {
            return Optional.empty();
          }
          all &= row.getBoolean(1);
        }
      }
    }
    return Optional.of(all);
  }

  /** The name the catalog stores: quoted as written, unquoted folded to lower case. */
  private static String catalogName(String identifier) {
    if (identifier.startsWith("\"")) {
      return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
    }
    return identifier.toLowerCase(java.util.Locale.ROOT);
  }

  /** The comma-separated actions, commas inside parentheses, quotes and strings left alone. */
  private static List<String> topLevelParts(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }
}

package io.migrationexporter.source.postgres;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table a statement rewrites, for the statements PostgreSQL gives no progress for
 * ({@code ALTER TABLE ... TYPE}) or no progress for their index rebuilds ({@code VACUUM FULL},
 * {@code CLUSTER}), and how it writes the new heap.
 *
 * @param table the name as written (quotes kept), for {@code to_regclass}
 * @param rowByRow true when each row is inserted with its own WAL record (ALTER TABLE); false
 *     when whole pages are written as page images (VACUUM FULL and CLUSTER)
 */
record RewriteTarget(String table, boolean rowByRow) {
  private static final String IDENT = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
  private static final String NAME = "(" + IDENT + "(?:\\s*\\.\\s*" + IDENT + ")?)";
  private static final Pattern LEADING_COMMENTS =
      Pattern.compile("^(?:\\s+|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/)*", Pattern.DOTALL);
  private static final Pattern ALTER = Pattern.compile(
      "ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?" + NAME + "\\s.*\\bTYPE\\b.*",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern VACUUM_FULL = Pattern.compile(
      "VACUUM\\s+(?:\\([^)]*\\bFULL\\b[^)]*\\)|FULL\\b(?:\\s+(?:FREEZE|VERBOSE|ANALYZE))*)\\s*"
          + NAME + ".*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern CLUSTER = Pattern.compile(
      "CLUSTER\\s+(?:\\([^)]*\\)\\s*)?(?:VERBOSE\\s+)?" + NAME + ".*",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  static Optional<RewriteTarget> of(String statement) {
    String sql = LEADING_COMMENTS.matcher(statement).replaceFirst("");
    for (Pattern pattern : new Pattern[] {ALTER, VACUUM_FULL, CLUSTER}) {
      Matcher matcher = pattern.matcher(sql);
      if (matcher.matches()) {
        return Optional.of(new RewriteTarget(matcher.group(1).replaceAll("\\s*\\.\\s*", "."),
            pattern == ALTER));
      }
    }
    return Optional.empty();
  }
}

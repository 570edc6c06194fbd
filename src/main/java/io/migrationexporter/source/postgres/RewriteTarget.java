package io.migrationexporter.source.postgres;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the table a statement rewrites, for the statements PostgreSQL gives no progress for:
 * {@code ALTER TABLE ... TYPE}, {@code VACUUM FULL}, {@code CLUSTER}. The name is returned as
 * written (quotes kept), for {@code to_regclass}.
 */
final class RewriteTarget {
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

  private RewriteTarget() {}

  static Optional<String> of(String statement) {
    String sql = LEADING_COMMENTS.matcher(statement).replaceFirst("");
    for (Pattern pattern : new Pattern[] {ALTER, VACUUM_FULL, CLUSTER}) {
      Matcher matcher = pattern.matcher(sql);
      if (matcher.matches()) {
        return Optional.of(matcher.group(1).replaceAll("\\s*\\.\\s*", "."));
      }
    }
    return Optional.empty();
  }
}

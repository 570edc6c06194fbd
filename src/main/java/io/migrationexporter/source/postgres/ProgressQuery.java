package io.migrationexporter.source.postgres;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Reading;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every {@code pg_stat_progress_*} view the server has, in one query: one row per running
 * operation of the database (a base backup is cluster-wide), reduced to done and total in the
 * view's own unit. Views a server lacks (before PostgreSQL 13 or 14) are left out of the query and
 * reported as unavailable.
 */
final class ProgressQuery {
  /** The views the exporter knows, with the SELECT that reduces each to the common columns. */
  static final Map<String, String> VIEWS = views();

  static final MetricDef RATIO = MetricDef.gauge("migration_pg_progress_ratio",
      "Progress of an operation PostgreSQL reports in pg_stat_progress_* (done / total), when the"
          + " total is known.", "database", "command", "phase", "relation");
  static final MetricDef DONE = MetricDef.gauge("migration_pg_progress_done",
      "Work done by an operation of pg_stat_progress_*, in the view's unit: blocks, tuples for"
          + " index builds without block counts, bytes for COPY and base backups.",
      "database", "command", "phase", "relation");
  static final MetricDef TOTAL = MetricDef.gauge("migration_pg_progress_total",
      "Total work of an operation of pg_stat_progress_*, in the same unit as"
          + " migration_pg_progress_done; absent when PostgreSQL does not know it.",
      "database", "command", "phase", "relation");
  static final MetricDef AVAILABLE = MetricDef.gauge("migration_pg_progress_view_available",
      "1 when the server has this pg_stat_progress_* view, 0 when it is too old for it.",
      "database", "view");

  private ProgressQuery() {}

  private static Map<String, String> views() {
    String rel = "CASE WHEN p.relid = 0 THEN '' ELSE p.relid::regclass::text END";
    String here = " FROM pg_catalog.%s p WHERE p.datid = (SELECT oid FROM pg_catalog.pg_database"
        + " WHERE datname = current_database())";
    Map<String, String> views = new LinkedHashMap<>();
    views.put("pg_stat_progress_vacuum", "SELECT 'VACUUM', p.phase, " + rel
        + ", p.heap_blks_scanned, p.heap_blks_total" + here);
    views.put("pg_stat_progress_analyze", "SELECT 'ANALYZE', p.phase, " + rel
        + ", p.sample_blks_scanned, p.sample_blks_total" + here);
    views.put("pg_stat_progress_create_index", "SELECT p.command, p.phase, " + rel
        + ", CASE WHEN p.blocks_total > 0 THEN p.blocks_done ELSE p.tuples_done END,"
        + " CASE WHEN p.blocks_total > 0 THEN p.blocks_total ELSE p.tuples_total END" + here);
    views.put("pg_stat_progress_cluster", "SELECT p.command, p.phase, " + rel
        + ", p.heap_blks_scanned, p.heap_blks_total" + here);
    views.put("pg_stat_progress_copy", "SELECT p.command, p.type, " + rel
        + ", p.bytes_processed, p.bytes_total" + here);
    views.put("pg_stat_progress_basebackup", "SELECT 'BASE_BACKUP', p.phase, '',"
        + " p.backup_streamed, p.backup_total FROM pg_catalog.%s p");
    return views;
  }

  /** The one query over the views in {@code available}, or empty when the server has none. */
  static String sql(Set<String> available) {
    List<String> parts = new ArrayList<>();
    VIEWS.forEach((view, select) -> {
      if (available.contains(view)) {
        parts.add(select.formatted(view));
      }
    });
    return String.join("\nUNION ALL\n", parts);
  }

  static void read(Session session, String database, Reading.Builder out) throws SQLException {
    Set<String> available = session.server().views();
    VIEWS.keySet().forEach(view -> out.sample(AVAILABLE, available.contains(view) ? 1 : 0,
        database, view));
    String sql = sql(available);
    if (sql.isEmpty()) {
      return;
    }
    Map<List<String>, double[]> operations = new LinkedHashMap<>();
    try (PreparedStatement statement = session.connection().prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        List<String> labels = List.of(text(row.getString(1)), text(row.getString(2)),
            text(row.getString(3)));
        double done = row.getDouble(4);
        double total = row.getObject(5) == null ? 0 : row.getDouble(5);
        // Two operations of one kind on one relation (two COPY) add up.
        double[] sum = operations.computeIfAbsent(labels, key -> new double[2]);
        sum[0] += done;
        sum[1] += total;
      }
    }
    operations.forEach((labels, figures) -> {
      String[] values = {database, labels.get(0), labels.get(1), labels.get(2)};
      out.sample(DONE, figures[0], values);
      if (figures[1] > 0) {
        out.sample(TOTAL, figures[1], values);
        out.sample(RATIO, Math.min(1, figures[0] / figures[1]), values);
      }
    });
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}

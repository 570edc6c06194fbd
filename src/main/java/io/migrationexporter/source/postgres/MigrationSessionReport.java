package io.migrationexporter.source.postgres;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Reading;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the migration's own sessions do: state, wait event, statement start, parallel workers. */
final class MigrationSessionReport {
  static final MetricDef SESSIONS = MetricDef.gauge("migration_pg_migration_sessions",
      "Sessions of the migration by state and wait event (empty wait event: running on CPU).",
      "database", "state", "wait_event_type", "wait_event");
  static final MetricDef STATEMENT_START = MetricDef.gauge(
      "migration_pg_migration_statement_start_timestamp_seconds",
      "Start of the statement the migration's oldest active session runs; absent when none runs.",
      "database");
  static final MetricDef PARALLEL_WORKERS = MetricDef.gauge(
      "migration_pg_migration_parallel_workers",
      "Parallel workers helping the migration's sessions (an index sort, a scan).", "database");

  private MigrationSessionReport() {}

  static void report(String database, List<Backend> backends, MigrationSessions migration,
      Reading.Builder out) {
    if (!migration.configured()) {
      return;
    }
    Map<List<String>, Integer> sessions = new LinkedHashMap<>();
    Set<Integer> migrationPids = new HashSet<>();
    Instant oldestStatement = null;
    for (Backend backend : backends) {
      if (backend.parallelWorker() || !migration.matches(backend)) {
        continue;
      }
      migrationPids.add(backend.pid());
      sessions.merge(List.of(backend.state().isEmpty() ? "unknown" : backend.state(),
          backend.waitEventType(), backend.waitEvent()), 1, Integer::sum);
      if (backend.active() && backend.queryStart() != null
          && (oldestStatement == null || backend.queryStart().isBefore(oldestStatement))) {
        oldestStatement = backend.queryStart();
      }
    }
    int workers = 0;
    for (Backend backend : backends) {
      if (backend.parallelWorker() && migrationPids.contains(backend.leaderPid())) {
        workers++;
      }
    }
    sessions.forEach((labels, count) -> out.sample(SESSIONS, count, database, labels.get(0),
        labels.get(1), labels.get(2)));
    if (oldestStatement != null) {
      out.sample(STATEMENT_START, oldestStatement.toEpochMilli() / 1e3, database);
    }
    out.sample(PARALLEL_WORKERS, workers, database);
  }
}

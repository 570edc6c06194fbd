package io.migrationexporter.source.postgres;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sessions waiting on a lock, who holds them up, and the oldest open transaction. */
final class LockReport {
  private static final int MAX_BLOCKERS = 20;

  static final MetricDef BLOCKED = MetricDef.gauge("migration_pg_blocked_sessions",
      "Sessions of the database waiting on a lock held by another session.", "database");
  static final MetricDef BLOCKED_BY = MetricDef.gauge("migration_pg_blocked_sessions_by_blocker",
      "Sessions waiting on a lock, by the application name (else user) of a session holding it"
          + " (pg_blocking_pids); a session blocked by two clients counts under both.",
      "database", "blocked_by");
  static final MetricDef LONGEST_WAIT = MetricDef.gauge("migration_pg_longest_lock_wait_seconds",
      "How long the session waiting on a lock the longest has been running its statement; 0 when"
          + " none waits.", "database");
  static final MetricDef OLDEST_TRANSACTION = MetricDef.gauge(
      "migration_pg_oldest_transaction_start_timestamp_seconds",
      "Start of the oldest open transaction of a client session (the exporter's excepted);"
          + " absent when none is open.", "database");

  private LockReport() {}

  static void report(String database, ActivityQuery.Snapshot snapshot, Reading.Builder out) {
    Map<Integer, Backend> byPid = new HashMap<>();
    snapshot.backends().forEach(backend -> byPid.put(backend.pid(), backend));
    int blocked = 0;
    Duration longest = Duration.ZERO;
    Map<List<String>, Integer> blockers = new LinkedHashMap<>();
    Instant oldestTransaction = null;
    for (Backend backend : snapshot.backends()) {
      if (backend.parallelWorker()) {
        continue;
      }
      if (backend.xactStart() != null
          && (oldestTransaction == null || backend.xactStart().isBefore(oldestTransaction))) {
        oldestTransaction = backend.xactStart();
      }
      if (!backend.waitingOnLock() || backend.blockers().isEmpty()) {
        continue;
      }
      blocked++;
      if (backend.queryStart() != null) {
        Duration waited = Duration.between(backend.queryStart(), snapshot.at());
        if (waited.compareTo(longest) > 0) {
          longest = waited;
        }
      }
      Set<String> names = new LinkedHashSet<>();
      for (int pid : backend.blockers()) {
        Backend blocker = byPid.get(pid);
        names.add(blocker == null ? "(not a client of this database)" : blocker.clientName());
      }
      names.forEach(name -> blockers.merge(List.of(name), 1, Integer::sum));
    }
    out.sample(BLOCKED, blocked, database);
    Labels.bounded(blockers, MAX_BLOCKERS).forEach((name, count) ->
        out.sample(BLOCKED_BY, count, database, name.get(0)));
    out.sample(LONGEST_WAIT, longest.toMillis() / 1e3, database);
    if (oldestTransaction != null) {
      out.sample(OLDEST_TRANSACTION, oldestTransaction.toEpochMilli() / 1e3, database);
    }
  }
}

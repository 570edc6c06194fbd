package io.migrationexporter.source.postgres;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Client connections of the database, the exporter's own left out, and the observation of the
 * {@code connections} check: closed when no client but the migration is connected.
 */
final class ConnectionReport {
  static final String OBSERVATION = "connections";
  /** The check counts the connections it wants gone: neither the exporter's nor the migration's. */
  static final String CONNECTIONS_UNIT = "connections";
  private static final int MAX_SERIES = 50;
  private static final int NAMES_IN_SUMMARY = 5;

  static final MetricDef CONNECTIONS = MetricDef.gauge("migration_pg_connections",
      "Client connections to the database, by application name, user and state; the exporter's"
          + " own sessions are not counted.", "database", "application_name", "usename", "state");
  static final MetricDef OTHER_CONNECTIONS = MetricDef.gauge("migration_pg_other_connections",
      "Client connections that are neither the exporter's nor the migration's: the connections"
          + " check wants 0 while the apps are closed.", "database");
  static final MetricDef UNEXPECTED_CONNECTIONS = MetricDef.gauge(
      "migration_pg_unexpected_connections",
      "The connections migration_pg_other_connections counts, by client (application name, or"
          + " user when it has none): what an alert names; no series for a client gone.",
      "database", "client");
  static final MetricDef MIGRATION_CONNECTIONS = MetricDef.gauge(
      "migration_pg_migration_connections",
      "Client connections whose application name or user is configured as the migration's.",
      "database");

  private ConnectionReport() {}

  static void report(String database, List<Backend> backends, MigrationSessions migration,
      Reading.Builder out) {
    Map<List<String>, Integer> series = new LinkedHashMap<>();
    Map<String, Integer> others = new LinkedHashMap<>();
    int migrationCount = 0;
    for (Backend backend : backends) {
      if (backend.parallelWorker()) {
        continue;
      }
      series.merge(List.of(backend.applicationName(), backend.user(), state(backend)), 1,
          Integer::sum);
      if (migration.matches(backend)) {
        migrationCount++;
      } else {
        others.merge(backend.clientName(), 1, Integer::sum);
      }
    }
    Labels.bounded(series, MAX_SERIES).forEach((labels, count) -> out.sample(CONNECTIONS, count,
        database, labels.get(0), labels.get(1), labels.get(2)));
    Map<List<String>, Integer> byClient = new LinkedHashMap<>();
    others.forEach((client, count) -> byClient.put(List.of(client), count));
    Labels.bounded(byClient, MAX_SERIES).forEach((labels, count) ->
        out.sample(UNEXPECTED_CONNECTIONS, count, database, labels.get(0)));
    int otherCount = others.values().stream().mapToInt(Integer::intValue).sum();
    out.sample(OTHER_CONNECTIONS, otherCount, database);
    out.sample(MIGRATION_CONNECTIONS, migrationCount, database);
    out.observation(OBSERVATION, observation(others, otherCount, migrationCount)
        .counting(otherCount, CONNECTIONS_UNIT));
  }

  private static String state(Backend backend) {
    return backend.state().isEmpty() ? "unknown" : backend.state();
  }

  static Observation observation(Map<String, Integer> others, int otherCount, int migrationCount) {
    String migrationWords = migrationCount == 0 ? ""
        : " (migration: " + migrationCount + (migrationCount == 1 ? " session)" : " sessions)");
    if (otherCount == 0) {
      return Observation.closed("No connection left" + migrationWords);
    }
    List<Map.Entry<String, Integer>> names = new ArrayList<>(others.entrySet());
    names.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    StringBuilder words = new StringBuilder();
    words.append(otherCount).append(otherCount == 1 ? " connection: " : " connections: ");
    for (int i = 0; i < Math.min(NAMES_IN_SUMMARY, names.size()); i++) {
      if (i > 0) {
        words.append(", ");
      }
      String name = names.get(i).getKey().isEmpty() ? "unnamed" : names.get(i).getKey();
      words.append(name).append(" (").append(names.get(i).getValue()).append(')');
    }
    if (names.size() > NAMES_IN_SUMMARY) {
      words.append(" and ").append(names.size() - NAMES_IN_SUMMARY).append(" more");
    }
    return Observation.open(words + migrationWords);
  }
}

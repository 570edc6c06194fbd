package io.migrationexporter.source.postgres;

import java.util.List;

/**
 * Everything one {@code sources.postgres.<name>} block sets: equal definitions after a reload keep
 * the running source, with its sessions and its memory of the migrations.
 */
record PostgresDefinition(String name, ConnectionSettings connection, MigrationSessions sessions,
    List<CustomQuery> queries, List<MigrationWatch> migrations) {
  PostgresDefinition {
    queries = List.copyOf(queries);
    migrations = List.copyOf(migrations);
  }
}

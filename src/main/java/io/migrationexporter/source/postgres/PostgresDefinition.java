package io.migrationexporter.source.postgres;

import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import java.util.List;

/**
 * Everything one {@code sources.postgres.<name>} block sets: equal definitions after a reload keep
 * the running source, with its sessions and its memory of the migrations.
 */
record PostgresDefinition(String name, ConnectionSettings connection, MigrationSessions sessions,
    List<CustomQuery> queries, List<MigrationWatch> migrations) implements SourceSettings {
  PostgresDefinition {
    queries = List.copyOf(queries);
    migrations = List.copyOf(migrations);
  }

  @Override
  public Source open(SourceDefinition definition, SharedResources shared) {
    return new PostgresSource(this);
  }

  @Override
  public String describe(SourceDefinition definition) {
    return PostgresSource.describe(this);
  }
}

package io.migrationexporter.migration;

import java.util.List;

/**
 * A migration followed by one source: its ordered steps. The source recognises the steps (from
 * what PostgreSQL runs, from log lines); the core turns what it reports into step k of n, progress
 * and an ETA.
 */
public record MigrationDefinition(String name, String title, String sourceId,
    List<StepDefinition> steps) {
  public MigrationDefinition {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("migration " + name + " has no step");
    }
  }
}

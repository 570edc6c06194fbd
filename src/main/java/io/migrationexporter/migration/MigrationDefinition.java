package io.migrationexporter.migration;

import java.time.Duration;
import java.util.List;

/**
 * A migration followed by one source: its ordered steps. The source recognises the steps (from
 * what PostgreSQL runs, from log lines); the core turns what it reports into step k of n, progress
 * and an ETA.
 *
 * @param silentAfter how long a started migration may go without a sign of life before it is
 *     reported silent
 */
public record MigrationDefinition(String name, String title, String sourceId,
    List<StepDefinition> steps, Duration silentAfter) {
  /** {@code defaults.migration-silent-after} of the bundled configuration. */
  public static final Duration DEFAULT_SILENT_AFTER = Duration.ofMinutes(5);

  public MigrationDefinition(String name, String title, String sourceId,
      List<StepDefinition> steps) {
    this(name, title, sourceId, steps, DEFAULT_SILENT_AFTER);
  }

  public MigrationDefinition {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("migration " + name + " has no step");
    }
  }
}

package io.migrationexporter.migration;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A migration followed by one source: its ordered steps. The source recognises the steps (from
 * what PostgreSQL runs, from log lines); the core turns what it reports into step k of n, progress
 * and an ETA.
 *
 * @param silentAfter how long a started migration may go without a sign of life before it is
 *     reported silent
 * @param processSourceId the source that watches the process running the migration (its
 *     Kubernetes pods), whose signs of life and stops feed the migration's state, if one does
 */
public record MigrationDefinition(String name, String title, String sourceId,
    List<StepDefinition> steps, Duration silentAfter, Optional<String> processSourceId) {
  /** {@code defaults.migration-silent-after} of the bundled configuration. */
  public static final Duration DEFAULT_SILENT_AFTER = Duration.ofMinutes(5);

  public MigrationDefinition(String name, String title, String sourceId,
      List<StepDefinition> steps) {
    this(name, title, sourceId, steps, DEFAULT_SILENT_AFTER);
  }

  public MigrationDefinition(String name, String title, String sourceId,
      List<StepDefinition> steps, Duration silentAfter) {
    this(name, title, sourceId, steps, silentAfter, Optional.empty());
  }

  /** The same migration, its process watched by the source {@code id}. */
  public MigrationDefinition withProcessSource(String id) {
    return new MigrationDefinition(name, title, sourceId, steps, silentAfter, Optional.of(id));
  }

  public MigrationDefinition {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("migration " + name + " has no step");
    }
  }
}

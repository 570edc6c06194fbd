package io.migrationexporter.board;

import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.config.Plan;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A source following one migration whose progress the test sets, standing in for the sources that
 * read it from PostgreSQL or a log: the page only ever sees what the core derives from it.
 */
public final class ScriptedMigration implements Source, SourceSettings {
  private final MigrationDefinition definition;
  /** What the next refreshes report; null makes them fail, as an unreachable log would. */
  private volatile StepProgress progress = StepProgress.notStarted();

  public ScriptedMigration(String name, String title, List<StepDefinition> steps) {
    this.definition = new MigrationDefinition(name, title, "script:" + name, steps);
  }

  /** The id of the source the migration is read from. */
  public String id() {
    return definition.sourceId();
  }

  public MigrationDefinition migration() {
    return definition;
  }

  /** {@code plan} with {@code migrations} followed as if it declared them. */
  public static Plan added(Plan plan, ScriptedMigration... migrations) {
    List<SourceDefinition> sources = new ArrayList<>(plan.sources());
    List<MigrationDefinition> followed = new ArrayList<>(plan.migrations());
    for (ScriptedMigration migration : migrations) {
      sources.add(new SourceDefinition(migration.definition.sourceId(), new SourceSchedule(
          Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5)), migration));
      followed.add(migration.migration());
    }
    return new Plan(plan.file(), plan.server(), plan.log(), plan.phases(),
        plan.journalCapacity(), plan.apps(), sources, plan.checks(), plan.gates(), followed,
        plan.journalFile());
  }

  public void report(StepProgress now) {
    progress = now;
  }

  /** The test drives this very object: it is its own source. */
  @Override
  public Source open(SourceDefinition source, SharedResources shared) {
    return this;
  }

  @Override
  public String describe(SourceDefinition source) {
    return "scripted migration " + definition.name();
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    StepProgress now = progress;
    if (now == null) {
      return CompletableFuture.failedFuture(
          new SourceException(ErrorKind.TRANSPORT, "the migration log is unreachable"));
    }
    return CompletableFuture.completedFuture(
        Reading.builder().migration(definition.name(), now).build());
  }
}

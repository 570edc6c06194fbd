package io.migrationexporter.deploy;

import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.PlanBuilder;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.testing.UnregisteredKinds;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A stand-in for a database source ({@code sources.scripted.<name> { migrations { ... } }}),
 * driven by the test through a {@link Script}: the database connections the source sees (an
 * implied check {@code <name>-connections} in the connections group, as a database source
 * declares) and the progress of its migrations. It lets the end-to-end test walk a migration
 * through the real collection model, phases, exposition, Prometheus and Alertmanager without a
 * database.
 */
final class ScriptedMigrationKind implements UnregisteredKinds.Source {
  /** What the simulated database shows; the test changes it as the walk goes. */
  static final class Script {
    volatile boolean connectionsOpen = true;
    volatile boolean unreachable;
    volatile StepProgress progress = StepProgress.notStarted();
  }

  private static final String CONNECTIONS = "connections";
  private final Script script;

  ScriptedMigrationKind(Script script) {
    this.script = script;
  }

  @Override
  public String name() {
    return "scripted";
  }

  /** None: the scripted database reports observations and progress, no samples of its own. */
  @Override
  public List<MetricDef> families() {
    return List.of();
  }

  @Override
  public void declare(String sourceName, ConfigNode node, PlanBuilder plan) {
    String id = "scripted:" + sourceName;
    SourceSchedule schedule = plan.schedule(node, Duration.ofSeconds(1));
    List<String> migrations = plan.migrations(node, id, (migration, step, index) -> index).stream()
        .map(declared -> declared.definition().name()).toList();
    plan.addSource(new SourceDefinition(id, schedule, new ScriptedSource(migrations, script)),
        node, "migrations");
    plan.addImpliedCheck(new CheckDefinition(sourceName + "-connections",
        "Connections to " + sourceName, "connections", "", "scripted", id, CONNECTIONS,
        plan.defaultClosedPhases(), plan.defaultOpenPhases()));
  }

  /** The test drives the script: the settings are their own source. */
  private record ScriptedSource(List<String> migrations, Script script)
      implements Source, SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      return this;
    }

    @Override
    public String describe(SourceDefinition definition) {
      return "scripted migrations " + migrations;
    }

    @Override
    public CompletableFuture<Reading> refresh(RefreshContext context) {
      if (script.unreachable) {
        return CompletableFuture.failedFuture(
            new SourceException(ErrorKind.TRANSPORT, "database unreachable (simulated)"));
      }
      Reading.Builder reading = Reading.builder().observation(CONNECTIONS, script.connectionsOpen
          ? Observation.open("2 connections from the apps")
          : Observation.closed("No connection left"));
      StepProgress progress = script.progress;
      migrations.forEach(name -> reading.migration(name, progress));
      return CompletableFuture.completedFuture(reading.build());
    }
  }
}

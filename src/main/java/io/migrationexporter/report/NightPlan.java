package io.migrationexporter.report;

import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.config.Plan;
import io.migrationexporter.event.Event;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.StepDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the report needs of the configuration: which app each check belongs to and in which phases
 * it expects its target closed or open, which checks each gate waits on, each migration's steps
 * with their expected durations. What the configuration does not name (no configuration, or a
 * check since removed) is guessed from the journal: every check its own app, closed in the
 * default closed phases, and every gate waiting on every check.
 */
public record NightPlan(Map<String, CheckInfo> checks, Map<String, String> appTitles,
    Map<String, Set<String>> gateChecks, Map<String, MigrationInfo> migrations) {

  static final Set<String> DEFAULT_CLOSED = Set.of("maintenance", "migration");
  static final Set<String> DEFAULT_OPEN = Set.of("preparation", "reopening", "done");

  /**
   * A check as the report sees it. {@code app} is empty for a check of no app (monitoring,
   * backups), which the downtime leaves out; when the configuration names no app at all, every
   * check is its own app.
   */
  public record CheckInfo(String name, String title, String app, Set<String> closedPhases,
      Set<String> openPhases) {}

  public record MigrationInfo(String name, String title, List<StepInfo> steps) {}

  /**
   * A step; {@code name} is its configuration key, which {@code report --expectations} names.
   *
   * @param definition as configured, for its expected duration on the night's table
   */
  public record StepInfo(String name, String title, StepDefinition definition) {}

  public static NightPlan of(Plan plan) {
    Map<String, CheckInfo> checks = new LinkedHashMap<>();
    for (CheckDefinition check : plan.checks()) {
      checks.put(check.name(), new CheckInfo(check.name(), check.title(),
          plan.apps().isEmpty() ? check.name() : check.app(), check.closedPhases(),
          check.openPhases()));
    }
    Map<String, String> apps = new LinkedHashMap<>();
    plan.apps().forEach((name, app) -> apps.put(name, app.title()));
    Map<String, Set<String>> gates = new LinkedHashMap<>();
    plan.gates().forEach(gate -> gates.put(gate.name(), Set.copyOf(plan.checks().stream()
        .filter(gate::selects).map(CheckDefinition::name).toList())));
    Map<String, MigrationInfo> migrations = new LinkedHashMap<>();
    for (MigrationDefinition migration : plan.migrations()) {
      migrations.put(migration.name(), new MigrationInfo(migration.name(), migration.title(),
          migration.steps().stream().map(NightPlan::step).toList()));
    }
    return new NightPlan(checks, apps, gates, migrations);
  }

  private static StepInfo step(StepDefinition step) {
    return new StepInfo(step.name(), step.title(), step);
  }

  /** No configuration: the report knows only what the journal names. */
  public static NightPlan empty() {
    return new NightPlan(Map.of(), Map.of(), Map.of(), Map.of());
  }

  /** What the journal alone tells: the checks, gates and migrations it names. */
  private static NightPlan guessed(List<Event> events) {
    Map<String, CheckInfo> checks = new LinkedHashMap<>();
    Map<String, Set<String>> gates = new LinkedHashMap<>();
    Map<String, MigrationInfo> migrations = new LinkedHashMap<>();
    for (Event event : events) {
      switch (event.type()) {
        case "check" -> checks.putIfAbsent(event.subject(), new CheckInfo(event.subject(),
            event.subject(), event.subject(), DEFAULT_CLOSED, DEFAULT_OPEN));
        case "gate" -> gates.putIfAbsent(event.subject(), null);
        case "step" -> migrations.putIfAbsent(event.subject(),
            new MigrationInfo(event.subject(), event.subject(), List.of()));
        default -> { }
      }
    }
    gates.replaceAll((gate, none) -> Set.copyOf(checks.keySet()));
    return new NightPlan(checks, Map.of(), gates, migrations);
  }

  /** The plan's facts, completed by what the journal names and the configuration no longer does. */
  NightPlan completedBy(List<Event> events) {
    NightPlan guessed = guessed(events);
    Map<String, CheckInfo> allChecks = new LinkedHashMap<>(checks);
    guessed.checks.forEach(allChecks::putIfAbsent);
    Map<String, Set<String>> allGates = new LinkedHashMap<>(gateChecks);
    guessed.gateChecks.forEach(allGates::putIfAbsent);
    Map<String, MigrationInfo> allMigrations = new LinkedHashMap<>(migrations);
    guessed.migrations.forEach(allMigrations::putIfAbsent);
    return new NightPlan(allChecks, appTitles, allGates, allMigrations);
  }

  String appTitle(String app) {
    return appTitles.getOrDefault(app, app);
  }
}

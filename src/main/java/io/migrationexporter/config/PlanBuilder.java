package io.migrationexporter.config;

import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.StepDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What kinds see while a configuration is parsed: the sources defined so far, with what checks ask
 * of them, and the defaults every source schedule falls back to. It holds data only: no source
 * is created while a configuration is parsed.
 */
public final class PlanBuilder {
  private final Map<String, SourceDefinition> sources = new LinkedHashMap<>();
  /** {@code <kind>.<name>} of the source blocks whose declaration recorded a problem. */
  private final Set<String> failedDeclarations = new HashSet<>();
  private final List<CheckDefinition> impliedChecks = new ArrayList<>();
  private final Map<String, MigrationDefinition> migrations = new LinkedHashMap<>();
  /** The source watching the process of a migration (its pods), by migration name. */
  private final Map<String, WatchedProcess> processes = new LinkedHashMap<>();
  private final Duration defaultInterval;
  private final List<String> phases;
  private final Set<String> defaultClosedPhases;
  private final Set<String> defaultOpenPhases;
  private final Duration defaultSilentAfter;
  private Expectations expectations = Expectations.NONE;

  PlanBuilder(Duration defaultInterval, List<String> phases, Set<String> defaultClosedPhases,
      Set<String> defaultOpenPhases, Duration defaultSilentAfter) {
    this.defaultSilentAfter = defaultSilentAfter;
    this.defaultInterval = defaultInterval;
    this.phases = List.copyOf(phases);
    this.defaultClosedPhases = Set.copyOf(defaultClosedPhases);
    this.defaultOpenPhases = Set.copyOf(defaultOpenPhases);
  }

  /** {@code defaults.closed-phases}, for checks a source declaration implies. */
  public Set<String> defaultClosedPhases() {
    return defaultClosedPhases;
  }

  /** {@code defaults.open-phases}, for checks a source declaration implies. */
  public Set<String> defaultOpenPhases() {
    return defaultOpenPhases;
  }

  public List<String> phases() {
    return phases;
  }

  /**
   * The schedule of a source declared at {@code node}: {@code interval} (default from
   * {@code defaults.interval}), {@code stale-after} (default three intervals plus the refresh
   * limit) and the time a refresh may take, which the source knows from its own timeouts.
   */
  public SourceSchedule schedule(ConfigNode node, Duration refreshTimeout) {
    return schedule(node, defaultInterval, refreshTimeout);
  }

  /**
   * The same with a default interval of the source's own: rate-limited APIs must not be polled as
   * often as an HTTP check just because {@code defaults.interval} says so.
   */
  public SourceSchedule schedule(ConfigNode node, Duration defaultInterval,
      Duration refreshTimeout) {
    Duration interval = node.duration("interval", defaultInterval);
    Duration staleAfter = node.duration("stale-after", interval.multipliedBy(3).plus(refreshTimeout));
    if (staleAfter.compareTo(interval) <= 0) {
      throw node.fail("stale-after", "must be longer than the interval (" + interval + ")");
    }
    return new SourceSchedule(interval, staleAfter, refreshTimeout);
  }

  /** Registers a source; its id must be new. */
  public void addSource(SourceDefinition source, ConfigNode where, String key) {
    if (sources.putIfAbsent(source.id(), source) != null) {
      throw where.fail(key, "source " + source.id() + " is declared twice");
    }
  }

  public Optional<SourceDefinition> source(String id) {
    return Optional.ofNullable(sources.get(id));
  }

  /**
   * Asks the source {@code sourceId}, which the caller found registered, to observe
   * {@code request} for a check: the request becomes part of the source's definition, under
   * {@code observationKey}, which the check then evaluates. The same request by two checks is
   * observed once.
   *
   * @return {@code observationKey}
   */
  public String request(String sourceId, String observationKey, Object request) {
    SourceDefinition source = sources.get(sourceId);
    if (source == null) {
      throw new IllegalStateException("no source " + sourceId + " to ask for " + observationKey);
    }
    sources.put(sourceId, source.request(observationKey, request));
    return observationKey;
  }

  void declarationFailed(String kind, String name) {
    failedDeclarations.add(kind + "." + name);
  }

  /**
   * The problem of a check whose source {@code sources.<kind>.<name>} does not provide: recorded
   * on {@code key} of {@code block}, unless that source block's own declaration failed, which is
   * then the one problem to fix (its checks would only say "declare it there").
   */
  public Problems.Invalid missingSource(ConfigNode block, String key, String kind, String name,
      String message) {
    if (failedDeclarations.contains(kind + "." + name)) {
      return block.problems().consequence();
    }
    return block.fail(key, message);
  }

  /** A check that a source declaration implies (the connections check of a database). */
  public void addImpliedCheck(CheckDefinition check) {
    impliedChecks.add(check);
  }

  /** Reads one step's own keys (how the source recognises it) and returns them. */
  @FunctionalInterface
  public interface StepReader<S> {
    S read(String migration, ConfigNode step, int index);
  }

  /** Reads a migration's own keys besides title and steps (a progress query), before its steps. */
  @FunctionalInterface
  public interface MigrationReader {
    void read(String name, ConfigNode migration);
  }

  /** A migration with what its source needs to recognise each step, in step order. */
  public record DeclaredMigration<S>(MigrationDefinition definition, List<S> matchers) {}

  /**
   * Parses and registers the migrations under {@code node.migrations}: each has a title and an
   * ordered list of steps with a name, a title and an expected duration; {@code reader} reads
   * the keys by which the source recognises a step.
   */
  public <S> List<DeclaredMigration<S>> migrations(ConfigNode node, String sourceId,
      StepReader<S> reader) {
    return migrations(node, sourceId, (name, migration) -> { }, reader);
  }

  /**
   * Like {@link #migrations(ConfigNode, String, StepReader)}, with {@code migrationReader} reading
   * the keys a source accepts on the migration itself, so that they are not reported as unknown.
   */
  public <S> List<DeclaredMigration<S>> migrations(ConfigNode node, String sourceId,
      MigrationReader migrationReader, StepReader<S> reader) {
    List<DeclaredMigration<S>> declared = new ArrayList<>();
    for (Map.Entry<String, ConfigNode> entry : node.children("migrations").entrySet()) {
      node.problems().attempt(() -> {
        String name = entry.getKey();
        ConfigNode migration = entry.getValue();
        if (migrations.containsKey(name)) {
          throw migration.failHere("a migration named '" + name + "' already exists");
        }
        migrationReader.read(name, migration);
        List<ConfigNode> stepNodes = migration.objectList("steps");
        if (stepNodes.isEmpty()) {
          throw migration.fail("steps", "a migration needs at least one step");
        }
        List<StepDefinition> steps = new ArrayList<>();
        List<S> matchers = new ArrayList<>();
        Set<String> stepNames = new java.util.HashSet<>();
        for (int i = 0; i < stepNodes.size(); i++) {
          ConfigNode step = stepNodes.get(i);
          String stepName = step.string("name");
          if (!stepNames.add(stepName)) {
            throw step.fail("name", "step '" + stepName + "' is listed twice");
          }
          Optional<Duration> guessed = step.optDuration("expected-duration");
          steps.add(new StepDefinition(stepName, step.string("title", stepName),
              expectations.of(name, stepName).or(() -> guessed),
              expectations.measuredOn(name, stepName)));
          matchers.add(reader.read(name, step, i));
          step.finish();
        }
        Duration silentAfter = migration.duration("silent-after", defaultSilentAfter);
        if (silentAfter.isZero() || silentAfter.isNegative()) {
          throw migration.fail("silent-after", "must be longer than zero");
        }
        MigrationDefinition definition = new MigrationDefinition(name,
            migration.string("title", name), sourceId, steps, silentAfter);
        migration.finish();
        migrations.put(name, definition);
        declared.add(new DeclaredMigration<>(definition, matchers));
      });
    }
    return declared;
  }

  /** Measured step durations that replace the steps' expected-duration. */
  void expectations(Expectations measured) {
    this.expectations = measured;
  }

  /** The time profile a rehearsal measured for {@code step} of {@code migration}, if any. */
  public Optional<RehearsalProfile> rehearsalProfile(String migration, String step) {
    return expectations.profile(migration, step);
  }

  Map<String, MigrationDefinition> migrationsByName() {
    return Map.copyOf(migrations);
  }

  List<MigrationDefinition> migrationDefinitions() {
    return migrations.values().stream().map(m -> processes.containsKey(m.name())
        ? m.withProcessSource(processes.get(m.name()).sourceId()) : m).toList();
  }

  private record WatchedProcess(String sourceId, ConfigNode where) {}

  /**
   * The source {@code sourceId} watches the process that runs {@code migration} (its pods), declared
   * at {@code where}: what it sees of it feeds the migration's state.
   */
  public void processWatched(String migration, String sourceId, ConfigNode where) {
    WatchedProcess earlier = processes.putIfAbsent(migration, new WatchedProcess(sourceId, where));
    if (earlier != null) {
      throw where.failHere("the process of migration '" + migration + "' is already watched by "
          + earlier.sourceId());
    }
  }

  /** Records a problem for each watched process whose migration no source declares. */
  void reportUnknownProcesses() {
    processes.forEach((migration, watched) -> {
      if (!migrations.containsKey(migration)) {
        watched.where().failHere("no migration '" + migration + "' is declared (declared: "
            + (migrations.isEmpty() ? "none" : String.join(", ", migrations.keySet()))
            + "): name the migration whose steps a source follows, under its own name");
      }
    });
  }

  List<SourceDefinition> sources() {
    return List.copyOf(sources.values());
  }

  List<CheckDefinition> impliedChecks() {
    return List.copyOf(impliedChecks);
  }
}

package io.migrationexporter.config;

import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceSchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What kinds see while a configuration is parsed: the sources registered so far, the shared
 * resources (clients) they may reuse, and the defaults every source schedule falls back to.
 */
public final class PlanBuilder {
  private final Map<String, Source> sources = new LinkedHashMap<>();
  private final List<CheckDefinition> impliedChecks = new ArrayList<>();
  private final Map<Class<?>, Object> shared;
  private final Duration defaultInterval;
  private final List<String> phases;
  private final Set<String> defaultClosedPhases;
  private final Set<String> defaultOpenPhases;

  PlanBuilder(Map<Class<?>, Object> shared, Duration defaultInterval, List<String> phases,
      Set<String> defaultClosedPhases, Set<String> defaultOpenPhases) {
    this.shared = shared;
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

  /** A resource shared by all sources of a process (an HTTP client), created on first use. */
  public <T> T shared(Class<T> type, Function<Class<T>, T> create) {
    synchronized (shared) {
      return type.cast(shared.computeIfAbsent(type, key -> create.apply(type)));
    }
  }

  public List<String> phases() {
    return phases;
  }

  /**
   * The schedule of a source declared at {@code node}: {@code interval} (default from
   * {@code defaults.interval}), {@code stale-after} (default three intervals) and the time a
   * refresh may take, which the source knows from its own timeouts.
   */
  public SourceSchedule schedule(ConfigNode node, Duration refreshTimeout) {
    Duration interval = node.duration("interval", defaultInterval);
    Duration staleAfter = node.duration("stale-after", interval.multipliedBy(3).plus(refreshTimeout));
    if (staleAfter.compareTo(interval) <= 0) {
      throw node.fail("stale-after", "must be longer than the interval (" + interval + ")");
    }
    return new SourceSchedule(interval, staleAfter, refreshTimeout);
  }

  /** Registers a source; its id must be new. */
  public void addSource(Source source, ConfigNode where, String key) {
    if (sources.putIfAbsent(source.id(), source) != null) {
      source.close();
      throw where.fail(key, "source " + source.id() + " is declared twice");
    }
  }

  public Optional<Source> source(String id) {
    return Optional.ofNullable(sources.get(id));
  }

  /** A check that a source declaration implies (the connections check of a database). */
  public void addImpliedCheck(CheckDefinition check) {
    impliedChecks.add(check);
  }

  List<Source> sources() {
    return List.copyOf(sources.values());
  }

  List<CheckDefinition> impliedChecks() {
    return List.copyOf(impliedChecks);
  }

  void closeAll() {
    sources.values().forEach(Source::close);
  }
}

package io.migrationexporter.app;

import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.phase.PhaseState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Everything the exporter knows at one instant, evaluated and immutable: what /metrics, the API
 * and the page show. A board is rebuilt only when something changed (a refresh finished, the phase
 * changed, a reload, data turning stale), and its renderings are cached on it, so serving the same
 * board again costs almost nothing.
 *
 * @param checks every check evaluated against the current phase
 * @param validUntil the instant some data on this board turns stale, forcing a new board
 */
public record Board(Instant at, PhaseState phase, List<String> phaseOrder,
    List<CheckResult> checks, List<GateResult> gates, List<MigrationStatus> migrations,
    Map<String, SourceState> sources, Map<String, SourceSchedule> schedules, ConfigStatus config,
    Instant validUntil, Map<String, byte[]> renderings) {

  public Board {
    phaseOrder = List.copyOf(phaseOrder);
    checks = List.copyOf(checks);
    gates = List.copyOf(gates);
    migrations = List.copyOf(migrations);
    sources = Map.copyOf(sources);
    schedules = Map.copyOf(schedules);
  }

  Board(Instant at, PhaseState phase, List<String> phaseOrder, List<CheckResult> checks,
      List<GateResult> gates, List<MigrationStatus> migrations, Map<String, SourceState> sources,
      Map<String, SourceSchedule> schedules, ConfigStatus config, Instant validUntil) {
    this(at, phase, phaseOrder, checks, gates, migrations, sources, schedules, config, validUntil,
        new ConcurrentHashMap<>());
  }

  public Optional<GateResult> gate(String name) {
    return gates.stream().filter(g -> g.gate().name().equals(name)).findFirst();
  }

  /** A rendering of this board already computed, if there is one. */
  public Optional<byte[]> rendered(String key) {
    return Optional.ofNullable(renderings.get(key));
  }

  /** A rendering of this board (an exposition format, a JSON view), computed once. */
  public byte[] rendering(String key, Supplier<byte[]> render) {
    return renderings.computeIfAbsent(key, ignored -> render.get());
  }

  /** How the last configuration load went. */
  public record ConfigStatus(String file, boolean lastReloadSuccessful, Instant lastSuccessAt,
      String lastError) {}
}

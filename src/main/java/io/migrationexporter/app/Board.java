package io.migrationexporter.app;

import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.phase.PhaseSource;
import io.migrationexporter.phase.PhaseState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the exporter knows at one instant, evaluated and immutable: what /metrics, the API
 * and the page show. A board is rebuilt only when something changed (a refresh finished, the phase
 * changed, a reload, data turning stale), and its renderings are cached beside it ({@link
 * BoardRenderings}), so serving the same board again costs almost nothing.
 *
 * @param phaseSource who decides the phase: the configuration, or the API and the state file
 * @param checks every check evaluated against the current phase
 * @param sources every source's state, in configuration order
 * @param validUntil the instant some data on this board turns stale, forcing a new board
 */
public record Board(Instant at, PhaseState phase, List<String> phaseOrder,
    PhaseSource phaseSource, List<CheckResult> checks, List<GateResult> gates, List<MigrationStatus> migrations,
    Map<String, SourceState> sources, Map<String, SourceSchedule> schedules, ConfigStatus config,
    Instant validUntil) {

  public Board {
    phaseOrder = List.copyOf(phaseOrder);
    checks = List.copyOf(checks);
    gates = List.copyOf(gates);
    migrations = List.copyOf(migrations);
    // the order of sources is the configuration's: pages and /metrics list them in it
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    schedules = Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
  }

  public Optional<GateResult> gate(String name) {
    return gates.stream().filter(g -> g.gate().name().equals(name)).findFirst();
  }

  /** How the last configuration load went. */
  public record ConfigStatus(String file, boolean lastReloadSuccessful, Instant lastSuccessAt,
      String lastError) {}
}

package io.migrationexporter.app;

import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.Evaluator;
import io.migrationexporter.check.GateDefinition;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.config.Plan;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.phase.PhaseController;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Evaluates the definitions of a plan against the sources' states, the phase and an instant into
 * a {@link Board}: no threads, no I/O, no journal. The board follows from the arguments alone
 * (and from what the {@code remembered} step of {@link #build} adds).
 *
 * @param schedules each source's schedule by source id: when its data turns stale
 */
public record BoardBuilder(List<CheckDefinition> checks, List<GateDefinition> gates,
    List<MigrationDefinition> migrations, Map<String, SourceSchedule> schedules) {

  public BoardBuilder {
    checks = List.copyOf(checks);
    gates = List.copyOf(gates);
    migrations = List.copyOf(migrations);
    schedules = Map.copyOf(schedules);
  }

  /** The builder for the checks, gates and migrations of {@code plan}. */
  public static BoardBuilder of(Plan plan, Map<String, SourceSchedule> schedules) {
    return new BoardBuilder(plan.checks(), plan.gates(), plan.migrations(), schedules);
  }

  /**
   * The board at {@code at}. Checks are evaluated against the current phase, each gate against
   * its own phase; data older than its source's staleness limit is unknown.
   *
   * @param sources every source's state, in configuration order, which the board keeps
   * @param remembered what the exporter remembers of its migrations merged into their statuses
   *     (their state entry times, the last sign of life before a restart), or identity
   */
  public Board build(Map<String, SourceState> sources, PhaseController.View phase,
      Board.ConfigStatus config, Instant at, UnaryOperator<List<MigrationStatus>> remembered) {
    Map<String, List<CheckResult>> byPhase = new HashMap<>();
    String current = phase.state().current();
    List<CheckResult> inCurrent = evaluate(current, sources, at);
    byPhase.put(current, inCurrent);
    List<GateResult> gateResults = new ArrayList<>();
    for (GateDefinition gate : gates) {
      List<CheckResult> inPhase = byPhase.computeIfAbsent(gate.phase(),
          p -> evaluate(p, sources, at));
      gateResults.add(Evaluator.evaluate(gate, inPhase));
    }
    List<MigrationStatus> statuses = new ArrayList<>();
    for (MigrationDefinition migration : migrations) {
      MigrationStatus status = Evaluator.evaluate(migration, sources.get(migration.sourceId()),
          schedules.get(migration.sourceId()), at);
      statuses.add(migration.processSourceId().map(id -> Evaluator.withProcess(status,
          sources.get(id), schedules.get(id), at)).orElse(status));
    }
    statuses = remembered.apply(statuses);
    Instant validUntil = staleness(sources, at);
    for (MigrationStatus migration : statuses) {
      // A running migration turns silent at a time of its own, without any new data.
      Optional<Instant> silentAt = migration.silentAt().filter(at::isBefore);
      if (silentAt.isPresent() && silentAt.get().isBefore(validUntil)) {
        validUntil = silentAt.get().plusMillis(1);
      }
    }
    return new Board(at, phase.state(), phase.order(), phase.source(), inCurrent, gateResults,
        statuses, sources, schedules, config, validUntil);
  }

  private List<CheckResult> evaluate(String phase, Map<String, SourceState> sources, Instant at) {
    List<CheckResult> results = new ArrayList<>();
    for (CheckDefinition check : checks) {
      results.add(Evaluator.evaluate(check, phase, sources.get(check.sourceId()),
          schedules.get(check.sourceId()), at));
    }
    return results;
  }

  /** The next instant some source's data turns stale: the board must be re-evaluated then. */
  private Instant staleness(Map<String, SourceState> sources, Instant at) {
    Instant next = at.plus(Duration.ofMinutes(1));
    for (SourceState state : sources.values()) {
      if (state.lastSuccessAt().isPresent()) {
        Instant stale = state.lastSuccessAt().get().plus(schedules.get(state.sourceId()).staleAfter());
        if (stale.isAfter(at) && stale.isBefore(next)) {
          next = stale.plusMillis(1);
        }
      }
    }
    return next;
  }
}

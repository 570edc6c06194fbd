package io.migrationexporter.check;

import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns source data into check states. The rules that make the board trustworthy live here and
 * only here: a check is ok only when the last refresh of its source succeeded, the data is younger
 * than the source's staleness limit, and the observation matches what the phase expects.
 */
public final class Evaluator {
  private Evaluator() {}

  public static CheckResult evaluate(CheckDefinition check, String phase, SourceState source,
      SourceSchedule schedule, Instant now) {
    Expectation expected = check.expectation(phase);
    if (source == null || source.neverCompleted()) {
      return unknown(check, phase, expected, "not yet polled", null);
    }
    if (source.lastAttemptFailed()) {
      String error = source.lastError().orElse("refresh failed");
      return unknown(check, phase, expected, "source unreachable: " + error,
          source.lastSuccessAt().orElse(null));
    }
    Instant at = source.lastSuccessAt().orElseThrow();
    Duration age = Duration.between(at, now);
    if (age.compareTo(schedule.staleAfter()) > 0) {
      return unknown(check, phase, expected, "data is " + Durations.format(age.withNanos(0))
          + " old (stale after " + Durations.format(schedule.staleAfter()) + ")", at);
    }
    Optional<Observation> seen = source.lastReading().flatMap(r -> r.observation(check.observationKey()));
    if (seen.isEmpty()) {
      return unknown(check, phase, expected, "the source reported nothing for " + check.observationKey(), at);
    }
    Observation observation = seen.get();
    boolean ok = switch (expected) {
      case CLOSED -> observation.closed();
      case OPEN -> observation.open();
      case ANY -> true;
    };
    String reason = ok ? "" : "expected " + expected.label() + " in phase " + phase + ", saw: "
        + observation.summary();
    return new CheckResult(check, phase, expected, ok ? CheckState.OK : CheckState.FAILING,
        observation.closed(), observation.open(), observation.summary(), reason, at);
  }

  private static CheckResult unknown(CheckDefinition check, String phase, Expectation expected,
      String reason, Instant at) {
    return new CheckResult(check, phase, expected, CheckState.UNKNOWN, null, null,
        "Unknown: " + reason, reason, at);
  }

  /** A gate is open when it selects at least one check and every selected check is ok in its phase. */
  public static GateResult evaluate(GateDefinition gate, List<CheckResult> inGatePhase) {
    List<CheckResult> blocking = new ArrayList<>();
    int selected = 0;
    for (CheckResult result : inGatePhase) {
      if (!gate.selects(result.check())) {
        continue;
      }
      selected++;
      if (result.state() != CheckState.OK) {
        blocking.add(result);
      }
    }
    return new GateResult(gate, selected > 0 && blocking.isEmpty(), blocking, selected);
  }
}

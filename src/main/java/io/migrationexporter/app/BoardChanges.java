package io.migrationexporter.app;

import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.CheckState;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.migration.MigrationState;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepMeasure;
import io.migrationexporter.migration.StepProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What changed between two boards, in the words the journal records: checks changing state, a
 * migration's step and state, gates opening and closing. Pure: the runtime writes the changes.
 */
public final class BoardChanges {
  private BoardChanges() {}

  /**
   * One change, as a journal event records it.
   *
   * @param type check, step, migration or gate
   * @param from the words before, or null when the subject is new
   * @param volume the size of the table a step rewrites, for a step change
   * @param measure what was measured of the step a step change leaves
   */
  public record Change(String type, String subject, String from, String to, String message,
      Optional<RelationVolume> volume, Optional<StepMeasure> measure) {
    Change(String type, String subject, String from, String to, String message) {
      this(type, subject, from, to, message, Optional.empty(), Optional.empty());
    }
  }

  /** The changes from {@code before} to {@code after}: checks first, then migrations, then gates. */
  public static List<Change> between(Board before, Board after) {
    List<Change> changes = new ArrayList<>();
    checks(before, after, changes);
    migrations(before, after, changes);
    gates(before, after, changes);
    return changes;
  }

  private static void checks(Board before, Board after, List<Change> changes) {
    Map<String, CheckResult> previous = new HashMap<>();
    before.checks().forEach(result -> previous.put(result.check().name(), result));
    for (CheckResult result : after.checks()) {
      CheckResult old = previous.get(result.check().name());
      CheckState from = old == null ? null : old.state();
      if (from != result.state()) {
        changes.add(new Change("check", result.check().name(),
            from == null ? null : from.label(), result.state().label(),
            result.check().name() + " is " + result.state().label()
                + (result.state() == CheckState.OK ? ": " + result.value()
                    : ": " + result.reason())));
      }
    }
  }

  private static void migrations(Board before, Board after, List<Change> changes) {
    Map<String, MigrationStatus> previous = new HashMap<>();
    before.migrations().forEach(m -> previous.put(m.migration().name(), m));
    for (MigrationStatus migration : after.migrations()) {
      String name = migration.migration().name();
      MigrationStatus old = previous.get(name);
      String from = old == null ? null : stepWords(old);
      String to = stepWords(migration);
      if (!to.equals(from) && migration.known()) {
        changes.add(new Change("step", name, from, to, name + ": " + to,
            migration.progress().flatMap(StepProgress::stepVolume),
            old == null ? Optional.empty()
                : migration.measureOf(old.progress().map(StepProgress::step).orElse(-1))));
      }
      MigrationState was = old == null ? null : old.state(before.at());
      MigrationState is = migration.state(after.at());
      if (was != is) {
        changes.add(new Change("migration", name, was == null ? null : was.label(), is.label(),
            name + " is " + migration.stateWords(after.at()) + " ("
                + migration.timeWords(after.at()) + ")"));
      }
    }
  }

  private static void gates(Board before, Board after, List<Change> changes) {
    Map<String, GateResult> previous = new HashMap<>();
    before.gates().forEach(gate -> previous.put(gate.gate().name(), gate));
    for (GateResult gate : after.gates()) {
      GateResult old = previous.get(gate.gate().name());
      if (old == null || old.open() != gate.open()) {
        changes.add(new Change("gate", gate.gate().name(),
            old == null ? null : openWord(old.open()), openWord(gate.open()),
            "gate " + gate.gate().name() + " is " + openWord(gate.open())
                + (gate.open() ? "" : " (" + gate.blocking().size() + " of " + gate.selected()
                    + " checks not ok)")));
      }
    }
  }

  private static String stepWords(MigrationStatus migration) {
    if (!migration.known()) {
      return "unknown";
    }
    if (migration.done()) {
      return "done";
    }
    return migration.currentStep()
        .map(step -> "step " + migration.stepNumber() + " of " + migration.migration().steps().size()
            + ": " + step.title())
        .orElse("not started");
  }

  private static String openWord(boolean open) {
    return open ? "open" : "closed";
  }
}

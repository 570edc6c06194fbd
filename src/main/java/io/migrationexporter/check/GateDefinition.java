package io.migrationexporter.check;

import java.util.List;
import java.util.Set;

/**
 * A named go/no-go condition a script can wait on: every selected check (by group or by name)
 * would be ok in {@code phase}. The default {@code ready-to-migrate} evaluates the maintenance
 * and connections checks against the migration phase: "if we started now, would all be as the
 * migration needs it?"
 *
 * @param phase the phase whose expectations the selected checks are judged by
 * @param phases the phases whose question this gate answers: while the operation is in one of
 *     them, the gate is the board's headline (GO / NO GO). Empty: a gate only scripts wait on.
 */
public record GateDefinition(String name, String title, String phase, List<String> phases,
    Set<String> groups, Set<String> checks) {
  public GateDefinition {
    phases = List.copyOf(phases);
    groups = Set.copyOf(groups);
    checks = Set.copyOf(checks);
  }

  public boolean selects(CheckDefinition check) {
    return groups.contains(check.group()) || checks.contains(check.name());
  }

  /** Whether this gate answers the question of {@code current}, the operation's phase. */
  public boolean speaksFor(String current) {
    return phases.contains(current);
  }
}

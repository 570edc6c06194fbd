package io.migrationexporter.check;

import java.util.Set;

/**
 * A named go/no-go condition a script can wait on: every selected check (by group or by name)
 * would be ok in {@code phase}. The default {@code ready-to-migrate} evaluates the maintenance
 * and connections checks against the migration phase: "if we started now, would all be as the
 * migration needs it?"
 */
public record GateDefinition(String name, String title, String phase, Set<String> groups,
    Set<String> checks) {
  public GateDefinition {
    groups = Set.copyOf(groups);
    checks = Set.copyOf(checks);
  }

  public boolean selects(CheckDefinition check) {
    return groups.contains(check.group()) || checks.contains(check.name());
  }
}

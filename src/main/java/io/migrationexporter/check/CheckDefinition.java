package io.migrationexporter.check;

import java.util.Objects;
import java.util.Set;

/**
 * A check as configured: what it looks at (an observation of a source) and what it expects in
 * each phase.
 *
 * @param name unique name, the {@code check} label
 * @param title words shown on boards ("Pix App front-end")
 * @param group the board row and gate selector (maintenance, connections, migration...)
 * @param app the app this check concerns, or "" when none
 * @param kind the kind of check (http, tcp, ...)
 * @param sourceId the source whose readings carry the observation
 * @param observationKey the key of the observation in those readings
 * @param closedPhases phases in which the target must look closed
 * @param openPhases phases in which it must look open; in other phases anything fresh is fine
 */
public record CheckDefinition(String name, String title, String group, String app, String kind,
    String sourceId, String observationKey, Set<String> closedPhases, Set<String> openPhases) {

  public CheckDefinition {
    Objects.requireNonNull(name);
    Objects.requireNonNull(title);
    Objects.requireNonNull(group);
    Objects.requireNonNull(app);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(sourceId);
    Objects.requireNonNull(observationKey);
    closedPhases = Set.copyOf(closedPhases);
    openPhases = Set.copyOf(openPhases);
    if (closedPhases.stream().anyMatch(openPhases::contains)) {
      throw new IllegalArgumentException("check " + name + " expects a phase both closed and open");
    }
  }

  public Expectation expectation(String phase) {
    if (closedPhases.contains(phase)) {
      return Expectation.CLOSED;
    }
    if (openPhases.contains(phase)) {
      return Expectation.OPEN;
    }
    return Expectation.ANY;
  }
}

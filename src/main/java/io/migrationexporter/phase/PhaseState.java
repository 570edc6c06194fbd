package io.migrationexporter.phase;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The current phase, when it was entered, and when each phase was last entered (the history a
 * board needs to show elapsed times after a restart).
 */
public record PhaseState(String current, Map<String, Instant> entered, String changedBy) {
  public PhaseState {
    entered = Map.copyOf(entered);
    if (!entered.containsKey(current)) {
      throw new IllegalArgumentException("no entry time for the current phase " + current);
    }
  }

  public static PhaseState initial(String phase, Instant at, String actor) {
    return new PhaseState(phase, Map.of(phase, at), actor);
  }

  public Instant enteredAt() {
    return entered.get(current);
  }

  public PhaseState enter(String phase, Instant at, String actor) {
    Map<String, Instant> history = new LinkedHashMap<>(entered);
    history.put(phase, at);
    return new PhaseState(phase, history, actor);
  }
}

package io.migrationexporter.check;

import java.util.Locale;

/** What a check expects of its target in a phase. */
public enum Expectation {
  /** In maintenance, stopped, paused, disabled. */
  CLOSED,
  /** Serving, running, monitoring, enabled. */
  OPEN,
  /** Nothing in particular: the check is ok as soon as fresh data says anything. */
  ANY;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

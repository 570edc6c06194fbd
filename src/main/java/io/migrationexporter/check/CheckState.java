package io.migrationexporter.check;

import java.util.Locale;

/** The outcome of a check. Unknown is never shown or counted as ok. */
public enum CheckState {
  OK(1),
  FAILING(0),
  UNKNOWN(-1);

  private final int value;

  CheckState(int value) {
    this.value = value;
  }

  /** The value of {@code migration_check_status}. */
  public int value() {
    return value;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

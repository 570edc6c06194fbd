package io.migrationexporter.migration;

/**
 * Where a migration is, as a night shift needs to know it: is it alive, stuck, dead or over. Only
 * {@link #RUNNING} says all is well, and only with a fresh sign of life from the source that
 * follows it.
 */
public enum MigrationState {
  NOT_STARTED("not_started", "Not started"),
  RUNNING("running", "Running"),
  WAITING("waiting", "Waiting on a lock"),
  SILENT("silent", "Silent"),
  INTERRUPTED("interrupted", "Interrupted"),
  DONE("done", "Done"),
  UNKNOWN("unknown", "Unknown");

  private final String label;
  private final String words;

  MigrationState(String label, String words) {
    this.label = label;
    this.words = words;
  }

  /** The metric label and API value. */
  public String label() {
    return label;
  }

  /** The state in words, for people. */
  public String words() {
    return words;
  }
}

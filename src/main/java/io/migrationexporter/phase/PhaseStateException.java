package io.migrationexporter.phase;

/** The phase state file exists but cannot be used. */
public final class PhaseStateException extends Exception {
  public PhaseStateException(String message) {
    super(message, null, false, false);
  }
}

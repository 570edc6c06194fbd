package io.migrationexporter.phase;

/** A phase change over the API while the configuration ({@code phases.current}) sets the phase. */
public final class PhaseConfiguredException extends IllegalStateException {
  public PhaseConfiguredException(String message) {
    super(message);
  }
}

package io.migrationexporter.collect;

import java.time.Duration;
import java.time.Instant;

/** Source states as a collector would hold them, for tests of what is built from them. */
public final class SourceStates {
  private SourceStates() {}

  /** A source never read yet. */
  public static SourceState neverRead(String sourceId) {
    return SourceState.initial(sourceId);
  }

  /** A source whose last refresh, at {@code at}, returned {@code reading}. */
  public static SourceState read(String sourceId, Reading reading, Instant at) {
    return SourceState.initial(sourceId).started(at).succeeded(reading, at, Duration.ZERO);
  }

  /** A source whose last refresh, at {@code at}, failed with {@code message}. */
  public static SourceState failed(String sourceId, String message, Instant at) {
    return SourceState.initial(sourceId).started(at)
        .failed(ErrorKind.SERVER, message, at, Duration.ZERO);
  }
}

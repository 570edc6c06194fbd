package io.migrationexporter.collect;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable state of one source as the collector knows it: the last good reading and when it was
 * taken, the last attempt and how it ended, and failure counts. A new instance replaces the old
 * one after each attempt, so readers never see a half-updated state.
 */
public final class SourceState {
  private final String sourceId;
  private final Reading lastReading;
  private final Instant lastSuccessAt;
  private final Instant lastAttemptStartedAt;
  private final Duration lastDuration;
  private final boolean lastAttemptFailed;
  private final ErrorKind lastErrorKind;
  private final String lastError;
  private final Instant retryNotBefore;
  private final long refreshes;
  private final Map<ErrorKind, Long> failures;

  private SourceState(String sourceId, Reading lastReading, Instant lastSuccessAt,
      Instant lastAttemptStartedAt, Duration lastDuration, boolean lastAttemptFailed,
      ErrorKind lastErrorKind, String lastError, Instant retryNotBefore, long refreshes,
      Map<ErrorKind, Long> failures) {
    this.sourceId = sourceId;
    this.lastReading = lastReading;
    this.lastSuccessAt = lastSuccessAt;
    this.lastAttemptStartedAt = lastAttemptStartedAt;
    this.lastDuration = lastDuration;
    this.lastAttemptFailed = lastAttemptFailed;
    this.lastErrorKind = lastErrorKind;
    this.lastError = lastError;
    this.retryNotBefore = retryNotBefore;
    this.refreshes = refreshes;
    this.failures = failures;
  }

  static SourceState initial(String sourceId) {
    return new SourceState(sourceId, null, null, null, null, false, null, null, null, 0,
        Collections.unmodifiableMap(new EnumMap<>(ErrorKind.class)));
  }

  SourceState started(Instant at) {
    return new SourceState(sourceId, lastReading, lastSuccessAt, at, lastDuration,
        lastAttemptFailed, lastErrorKind, lastError, retryNotBefore, refreshes, failures);
  }

  SourceState succeeded(Reading reading, Instant at, Duration took) {
    return new SourceState(sourceId, reading, at, lastAttemptStartedAt, took, false, null, null,
        null, refreshes + 1, failures);
  }

  SourceState failed(ErrorKind kind, String message, Instant retryAfter, Duration took) {
    EnumMap<ErrorKind, Long> counts = new EnumMap<>(ErrorKind.class);
    counts.putAll(failures);
    counts.merge(kind, 1L, Long::sum);
    return new SourceState(sourceId, lastReading, lastSuccessAt, lastAttemptStartedAt, took, true,
        kind, message, retryAfter, refreshes + 1, Collections.unmodifiableMap(counts));
  }

  public String sourceId() {
    return sourceId;
  }

  /** True when the most recent finished refresh succeeded. False before the first one. */
  public boolean up() {
    return lastSuccessAt != null && !lastAttemptFailed;
  }

  public boolean neverCompleted() {
    return refreshes == 0;
  }

  /** The last good reading, even if a later refresh failed; empty before the first success. */
  public Optional<Reading> lastReading() {
    return Optional.ofNullable(lastReading);
  }

  public Optional<Instant> lastSuccessAt() {
    return Optional.ofNullable(lastSuccessAt);
  }

  public Optional<Instant> lastAttemptStartedAt() {
    return Optional.ofNullable(lastAttemptStartedAt);
  }

  public Optional<Duration> lastDuration() {
    return Optional.ofNullable(lastDuration);
  }

  public boolean lastAttemptFailed() {
    return lastAttemptFailed;
  }

  public Optional<ErrorKind> lastErrorKind() {
    return Optional.ofNullable(lastErrorKind);
  }

  /** Safe to show: built by the source or reduced to the error class by the collector. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  public Optional<Instant> retryNotBefore() {
    return Optional.ofNullable(retryNotBefore);
  }

  public long refreshes() {
    return refreshes;
  }

  public Map<ErrorKind, Long> failures() {
    return failures;
  }

  /** The age of the last good reading at {@code now}, if there is one. */
  public Optional<Duration> age(Instant now) {
    return lastSuccessAt().map(at -> Duration.between(at, now));
  }
}

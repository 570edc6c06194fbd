package io.migrationexporter.collect;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A refresh failure a source explains. The message is shown to operators in /api/status and
 * logs, so it must never contain a credential; sources build it from what they know is safe.
 */
public class SourceException extends Exception {
  private final ErrorKind kind;
  private final Instant retryNotBefore;

  public SourceException(ErrorKind kind, String message) {
    this(kind, message, null);
  }

  /**
   * @param retryNotBefore when the upstream asked us to come back (Retry-After, rate-limit reset);
   *     the collector starts no refresh of this source before it
   */
  public SourceException(ErrorKind kind, String message, Instant retryNotBefore) {
    super(message, null, false, false);
    this.kind = Objects.requireNonNull(kind);
    this.retryNotBefore = retryNotBefore;
  }

  public ErrorKind kind() {
    return kind;
  }

  public Optional<Instant> retryNotBefore() {
    return Optional.ofNullable(retryNotBefore);
  }
}

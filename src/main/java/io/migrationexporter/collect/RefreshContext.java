package io.migrationexporter.collect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;

/** What a source gets for one refresh: the time it must be done by and where to block. */
public record RefreshContext(Instant deadline, Clock clock, Executor blockingExecutor) {
  /** Time left before the collector abandons this refresh; never negative. */
  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }
}

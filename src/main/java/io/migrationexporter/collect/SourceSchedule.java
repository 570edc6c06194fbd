package io.migrationexporter.collect;

import java.time.Duration;

/**
 * How often a source may be read and how long its data stays trustworthy.
 *
 * @param minInterval a refresh starts only when the last one started at least this long ago,
 *     however many scrapes ask: this protects rate-limited upstreams
 * @param staleAfter data older than this is no longer evidence: checks on it become unknown
 * @param refreshTimeout a refresh still running after this is abandoned and counted as failed
 */
public record SourceSchedule(Duration minInterval, Duration staleAfter, Duration refreshTimeout) {
  public SourceSchedule {
    if (minInterval.isNegative() || staleAfter.isNegative() || refreshTimeout.isNegative()
        || refreshTimeout.isZero()) {
      throw new IllegalArgumentException("invalid schedule " + minInterval + "/" + staleAfter
          + "/" + refreshTimeout);
    }
    if (staleAfter.compareTo(minInterval) <= 0) {
      throw new IllegalArgumentException("stale-after " + staleAfter
          + " must be longer than the interval " + minInterval);
    }
  }
}

package io.migrationexporter.source.saas;

import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.config.ConfigNode;
import java.time.Duration;

/**
 * The schedule of a SaaS source: like {@code PlanBuilder.schedule}, but with the API's own default
 * interval instead of {@code defaults.interval}, since rate-limited APIs must not be polled every
 * ten seconds just because HTTP checks are.
 */
public final class Schedules {
  private Schedules() {}

  public static SourceSchedule read(ConfigNode node, Duration defaultInterval,
      Duration refreshTimeout) {
    Duration interval = node.duration("interval", defaultInterval);
    Duration staleAfter = node.duration("stale-after", interval.multipliedBy(3).plus(refreshTimeout));
    if (staleAfter.compareTo(interval) <= 0) {
      throw node.fail("stale-after", "must be longer than the interval (" + interval + ")");
    }
    return new SourceSchedule(interval, staleAfter, refreshTimeout);
  }
}

package io.migrationexporter.demo;

import java.time.Duration;

/**
 * How fast the story runs: every scripted delay is written at speed 1 (about five minutes end to
 * end) and divided by the speed factor.
 */
record Pace(double speed) {
  private static final Duration SHORTEST_INTERVAL = Duration.ofMillis(250);
  private static final Duration INTERVAL_AT_SPEED_ONE = Duration.ofSeconds(2);

  Pace {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive");
    }
  }

  Duration of(Duration atSpeedOne) {
    return Duration.ofNanos((long) (atSpeedOne.toNanos() / speed));
  }

  Duration seconds(long atSpeedOne) {
    return of(Duration.ofSeconds(atSpeedOne));
  }

  /**
   * How often the exporter reads each source and the scripts poll it: 2 s at speed 1, faster when
   * the story is, but never below 250 ms.
   */
  Duration interval() {
    Duration scaled = of(INTERVAL_AT_SPEED_ONE);
    return scaled.compareTo(SHORTEST_INTERVAL) < 0 ? SHORTEST_INTERVAL : scaled;
  }
}

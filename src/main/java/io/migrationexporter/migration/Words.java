package io.migrationexporter.migration;

import java.time.Duration;

/** Durations as people say them: "1 h 10 min", "4 min", "45 s". */
public final class Words {
  private Words() {}

  public static String duration(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 60) {
      return seconds + " s";
    }
    long minutes = Math.round(seconds / 60.0);
    if (minutes < 60) {
      return minutes + " min";
    }
    long hours = minutes / 60;
    long rest = minutes % 60;
    return hours + " h" + (rest == 0 ? "" : " " + rest + " min");
  }
}

package io.migrationexporter.collect;

import java.time.Duration;

/** Durations written the way the configuration takes them ("500ms", "10s", "2m", "1h30m"). */
public final class Durations {
  private Durations() {}

  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000 || millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    StringBuilder out = new StringBuilder();
    long hours = seconds / 3600;
    long minutes = seconds % 3600 / 60;
    long rest = seconds % 60;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (rest > 0 || out.length() == 0) {
      out.append(rest).append('s');
    }
    return out.toString();
  }
}

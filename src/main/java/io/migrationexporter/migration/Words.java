package io.migrationexporter.migration;

import java.time.Duration;

/** Durations and sizes as people say them: "1 h 10 min", "4 min", "45 s", "52 GB". */
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

  /** Decimal units, as disks and most dashboards count: "40 GB", "1.5 GB", "800 MB". */
  public static String bytes(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    String number = value >= 10 || unit == 0 ? String.valueOf(Math.round(value))
        : String.format(java.util.Locale.ROOT, "%.1f", value).replace(".0", "");
    return number + " " + units[unit];
  }
}

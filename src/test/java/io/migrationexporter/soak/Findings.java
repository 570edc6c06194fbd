package io.migrationexporter.soak;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the soak's workers found wrong, kept instead of thrown: a worker thread's failed assertion
 * would die with its thread, and the soak must go on to the end to find everything in one run.
 */
final class Findings {
  /** At most this many findings of one kind are kept in full; the others are only counted. */
  private static final int KEPT_PER_KIND = 20;

  private final Instant start;
  private final Map<String, List<String>> byKind = new TreeMap<>();
  private final Map<String, Integer> counts = new TreeMap<>();

  Findings(Instant start) {
    this.start = start;
  }

  /** Records a problem of {@code kind}, with the seconds since the start of the soak. */
  synchronized void add(String kind, String what) {
    counts.merge(kind, 1, Integer::sum);
    List<String> kept = byKind.computeIfAbsent(kind, k -> new ArrayList<>());
    if (kept.size() < KEPT_PER_KIND) {
      Instant now = Instant.now();
      kept.add(String.format("t+%.1fs (%s) %s", Duration.between(start, now).toMillis() / 1e3,
          LocalTime.ofInstant(now, ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS), what));
    }
  }

  synchronized int count(String kind) {
    return counts.getOrDefault(kind, 0);
  }

  synchronized boolean isEmpty() {
    return counts.isEmpty();
  }

  @Override
  public synchronized String toString() {
    StringBuilder out = new StringBuilder();
    counts.forEach((kind, count) -> {
      out.append(kind).append(": ").append(count).append('\n');
      byKind.get(kind).forEach(line -> out.append("  ").append(line).append('\n'));
    });
    return out.toString();
  }
}

package io.migrationexporter.web;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@link #LIMIT} failed password checks per client address per {@link #WINDOW}: beyond,
 * the address gets 429 without a bcrypt, until its window ends. Credentials that verified recently
 * still pass (they need no bcrypt), so a Prometheus behind the same address keeps scraping.
 */
final class FailureLimit {
  static final int LIMIT = 10;
  static final Duration WINDOW = Duration.ofMinutes(1);
  /** A flood from many addresses must not grow the table without end. */
  private static final int ADDRESSES = 10_000;

  private record Window(long startedAt, int failures) {}

  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** How long until {@code address} may try again, when it is over the limit. */
  Optional<Duration> blocked(String address) {
    Window window = windows.get(address);
    long now = System.nanoTime();
    if (window == null || window.failures() < LIMIT) {
      return Optional.empty();
    }
    long left = window.startedAt() + WINDOW.toNanos() - now;
    return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
  }

  void failed(String address) {
    if (windows.size() >= ADDRESSES) {
      windows.clear();
    }
    long now = System.nanoTime();
    windows.compute(address, (key, window) ->
        window == null || now - window.startedAt() >= WINDOW.toNanos()
            ? new Window(now, 1) : new Window(window.startedAt(), window.failures() + 1));
  }
}

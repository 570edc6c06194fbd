package io.migrationexporter.board;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition the page reaches by itself (it polls every 2 seconds). */
final class Await {
  private static final Duration DEFAULT = Duration.ofSeconds(20);
  private static final long STEP_MILLIS = 100;

  private Await() {}

  /** Returns once {@code condition} is true; fails with {@code what} and the last value seen. */
  static void until(String what, Callable<Boolean> condition) throws Exception {
    until(what, DEFAULT, condition);
  }

  static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < end) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
        last = null;
      } catch (Exception | AssertionError e) {
        // not there yet (no such element, a stale one replaced by the page's redraw)
        last = e;
      }
      Thread.sleep(STEP_MILLIS);
    }
    AssertionError error = new AssertionError("timed out after " + timeout.toSeconds()
        + " s waiting for " + what);
    if (last != null) {
      error.initCause(last);
    }
    throw error;
  }
}

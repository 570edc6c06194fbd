package io.migrationexporter.source.postgres;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition instead of sleeping for a guessed time. */
final class Await {
  private Await() {}

  static void until(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (Boolean.TRUE.equals(condition.call())) {
        return;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}

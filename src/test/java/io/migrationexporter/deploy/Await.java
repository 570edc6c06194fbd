package io.migrationexporter.deploy;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition instead of sleeping a guessed time. */
final class Await {
  private Await() {}

  /**
   * Polls {@code condition} every {@code poll} until it holds; fails with {@code what} and the
   * last exception, if any, after {@code timeout}.
   */
  static void until(String what, Duration timeout, Duration poll, Callable<Boolean> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
        last = null;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError error = new AssertionError("timed out after " + timeout + " waiting for "
            + what);
        if (last != null) {
          error.initCause(last);
        }
        throw error;
      }
      Thread.sleep(poll.toMillis());
    }
  }
}

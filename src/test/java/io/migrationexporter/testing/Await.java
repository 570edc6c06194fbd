package io.migrationexporter.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition instead of sleeping for a guessed time. */
public final class Await {
  private static final long POLL_MILLIS = 10;

  private Await() {}

  /** Returns as soon as {@code condition} holds; fails the test when it does not within {@code timeout}. */
  public static void until(BooleanSupplier condition, Duration timeout) {
    until("the condition", condition, timeout);
  }

  public static void until(String what, BooleanSupplier condition, Duration timeout) {
    until(what, () -> condition.getAsBoolean(), Boolean::booleanValue, timeout);
  }

  /**
   * Polls {@code value} until it satisfies {@code accepted} and returns that value; on timeout the
   * failure shows the last value seen.
   */
  public static <T> T until(String what, Supplier<T> value, Predicate<? super T> accepted,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last;
    while (true) {
      last = value.get();
      if (accepted.test(last)) {
        return last;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for "
            + what + "; last value: " + last);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}

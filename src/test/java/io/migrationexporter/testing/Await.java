package io.migrationexporter.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition instead of sleeping for a guessed time. */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(10);

  private Await() {}

  /** A condition that may throw; what it throws fails the wait, unless {@link #retrying}. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** Returns as soon as {@code condition} holds; fails the test when it does not within {@code timeout}. */
  public static void until(String what, Condition condition, Duration timeout) {
    poll(what, timeout, POLL, false, condition, null);
  }

  /** As {@link #until(String, Condition, Duration)}; a timeout shows {@code state}, as seen then. */
  public static void until(String what, Condition condition, Duration timeout, Supplier<?> state) {
    poll(what, timeout, POLL, false, condition, state);
  }

  /**
   * Polls {@code value} until it satisfies {@code accepted} and returns that value; on timeout the
   * failure shows the last value seen.
   */
  public static <T> T until(String what, Supplier<T> value, Predicate<? super T> accepted,
      Duration timeout) {
    Object[] last = new Object[1];
    until(what, () -> {
      last[0] = value.get();
      return accepted.test(value(last));
    }, timeout, () -> last[0]);
    return value(last);
  }

  @SuppressWarnings("unchecked")
  private static <T> T value(Object[] holder) {
    return (T) holder[0];
  }

  /**
   * Like {@link #until(String, Condition, Duration)} for a condition that cannot be evaluated yet
   * (an element not drawn, a server not listening): an exception means "not yet", every
   * {@code poll}, and the last one is the cause of the timeout; an {@link AssertionError} it
   * throws fails at once (a process that exited will never become ready).
   */
  public static void retrying(String what, Condition condition, Duration timeout, Duration poll) {
    poll(what, timeout, poll, true, condition, null);
  }

  /** @param state what a timeout shows as the last value seen; null for nothing */
  private static void poll(String what, Duration timeout, Duration poll, boolean retryFailures,
      Condition condition, Supplier<?> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception failure = null;
    while (true) {
      try {
        if (condition.holds()) {
          return;
        }
        failure = null;
      } catch (RuntimeException e) {
        if (!retryFailures) {
          throw e;
        }
        failure = e;
      } catch (Exception e) {
        if (!retryFailures) {
          throw new AssertionError("failed while waiting for " + what, e);
        }
        failure = e;
      }
      if (System.nanoTime() - deadline > 0) {
        AssertionError timedOut = new AssertionError("timed out after " + timeout.toMillis()
            + " ms waiting for " + what + (state == null ? "" : "; last value: " + state.get()));
        if (failure != null) {
          timedOut.initCause(failure);
        }
        throw timedOut;
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}

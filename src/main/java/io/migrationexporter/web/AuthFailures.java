package io.migrationexporter.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Failed authentication attempts, process-wide: counted by method for
 * {@code migration_exporter_auth_failures_total}, and logged at most once a minute with how many
 * came since the last line (a flood of guesses must not flood the log too). The client's address is
 * logged, never what it sent.
 */
public final class AuthFailures {
  private static final Logger LOG = Logger.getLogger(AuthFailures.class.getName());
  static final Duration LOG_EVERY = Duration.ofMinutes(1);

  /** How a client tried to authenticate. */
  public enum Method {
    BASIC("basic"), ADMIN_TOKEN("admin_token");

    private final String label;

    Method(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private static final Map<Method, AtomicLong> TOTALS = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT_LOG_AT = new AtomicLong(System.nanoTime());
  private static final AtomicLong UNLOGGED = new AtomicLong();

  private AuthFailures() {}

  /** Counts one failure of {@code method} from {@code address}. */
  public static void record(Method method, String address) {
    TOTALS.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
    long unlogged = UNLOGGED.incrementAndGet();
    long now = System.nanoTime();
    long next = NEXT_LOG_AT.get();
    if (now - next >= 0 && NEXT_LOG_AT.compareAndSet(next, now + LOG_EVERY.toNanos())) {
      UNLOGGED.addAndGet(-unlogged);
      LOG.warning("failed authentication (" + method.label() + ") from " + address
          + (unlogged > 1 ? "; " + unlogged + " failures since the last such line" : "")
          + "; at most one such line a minute");
    }
  }

  /** Failures of {@code method} since the start. */
  public static long total(Method method) {
    AtomicLong total = TOTALS.get(method);
    return total == null ? 0 : total.get();
  }
}

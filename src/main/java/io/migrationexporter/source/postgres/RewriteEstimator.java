package io.migrationexporter.source.postgres;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Estimates how far a table rewrite ({@code ALTER TABLE ... TYPE}, {@code VACUUM FULL},
 * {@code CLUSTER}) has gone, which PostgreSQL does not report, from the WAL written since the step
 * started against the WAL the rewrite should write in all.
 *
 * <p>The expectation comes from the table's size before the step ({@link RelationSize}). ALTER
 * TABLE inserts the rows one by one, one WAL record each: the row plus about
 * {@value #WAL_BYTES_PER_ROW} bytes of record header (about 1.4 times the heap for narrow rows,
 * nearer 1 for wide ones). VACUUM FULL and CLUSTER write whole pages as page images: about the
 * heap's size. Each rebuilt index writes its pages once ({@value #INDEX_WAL_FACTOR} times the old
 * index, which is usually a little bloated); TOAST is written as it is. Dead rows are not
 * copied, nor their index entries: when the statistics describe the table as it is (little
 * modified since its last ANALYZE), heap and indexes count for their share of live rows. With the
 * apps stopped,
 * the migration writes nearly all the WAL, so written / expected is the step's progress.
 *
 * <p>The WAL tells the sub-phases apart: it rises while the heap is rewritten, stays flat while an
 * index is sorted (the backend and its parallel workers are busy, no WAL), and rises again while
 * each index is written. The estimate keeps what it needs across refreshes: the WAL position when
 * the step started, the expected bytes, and the last position seen.
 */
final class RewriteEstimator {
  /** WAL per rewritten row beyond the row's own size: record header, block reference, padding. */
  static final double WAL_BYTES_PER_ROW = 29;
  /** WAL per byte of the indexes rebuilt, relative to their size before the rewrite. */
  static final double INDEX_WAL_FACTOR = 0.95;
  /** Below this WAL rate the migration is not writing: it sorts, scans or waits. */
  static final double RISING_BYTES_PER_SECOND = 512 * 1024;
  /** The reported ratio stays below 1 while the step runs: only its end says it is done. */
  static final double RUNNING_CAP = 0.99;

  private final String table;
  private final long baselineLsn;
  private final Instant startedAt;
  private final double heapWal;
  private final double expectedWal;
  private long lastLsn;
  private Instant lastAt;
  private boolean indexPhaseSeen;
  private double reported;

  /** One look at the rewrite. */
  record Estimate(double ratio, Optional<Instant> eta, String detail, long writtenBytes,
      long expectedBytes) {}

  RewriteEstimator(RewriteTarget target, RelationSize size, long baselineLsn, Instant baselineAt,
      Instant startedAt) {
    this.table = target.table();
    this.baselineLsn = baselineLsn;
    this.startedAt = startedAt;
    double rowHeaders = target.rowByRow() ? size.tuples() * WAL_BYTES_PER_ROW : 0;
    this.heapWal = size.heapBytes() * size.liveFraction() + rowHeaders + size.toastBytes();
    this.expectedWal = heapWal + size.indexBytes() * size.liveFraction() * INDEX_WAL_FACTOR;
    this.lastLsn = baselineLsn;
    this.lastAt = baselineAt;
  }

  String table() {
    return table;
  }

  /**
   * Updates the estimate with the WAL position {@code lsn} read at {@code at}.
   *
   * @param session the session running the rewrite, to tell a sort from a wait
   * @param parallelWorkers workers helping it now
   */
  Estimate update(long lsn, Instant at, Backend session, int parallelWorkers) {
    long written = Math.max(0, lsn - baselineLsn);
    double seconds = Duration.between(lastAt, at).toMillis() / 1e3;
    double rate = seconds > 0 ? (lsn - lastLsn) / seconds : 0;
    lastLsn = lsn;
    lastAt = at;
    double raw = written / expectedWal;
    reported = Math.max(reported, Math.min(RUNNING_CAP, raw));
    String detail = detail(written, rate, session, parallelWorkers);
    Optional<Instant> eta = Optional.empty();
    double elapsed = Duration.between(startedAt, at).toMillis() / 1e3;
    if (raw >= 0.01 && elapsed > 0) {
      // The average rate since the step started, sorts included: a short window would promise
      // the end too early while WAL rises and never while an index sorts.
      double total = elapsed / Math.min(1, raw);
      eta = Optional.of(startedAt.plusMillis((long) (total * 1000)));
    }
    return new Estimate(reported, eta, detail, written, (long) expectedWal);
  }

  private String detail(long written, double rate, Backend session, int workers) {
    String helpers = workers == 0 ? "" : " with " + workers + " parallel worker"
        + (workers == 1 ? "" : "s");
    if (session != null && session.waitingOnLock()) {
      return "waiting for a lock on " + table;
    }
    if (rate >= RISING_BYTES_PER_SECOND) {
      return (indexPhaseSeen || written > heapWal ? "writing indexes" : "rewriting the table")
          + helpers;
    }
    if (written < 0.01 * expectedWal) {
      return "starting";
    }
    if (written >= 0.97 * expectedWal) {
      return "checking constraints" + helpers;
    }
    indexPhaseSeen = true;
    return "sorting an index" + helpers;
  }
}

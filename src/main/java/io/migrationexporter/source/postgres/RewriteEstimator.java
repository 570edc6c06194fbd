package io.migrationexporter.source.postgres;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Estimates how far a table rewrite ({@code ALTER TABLE ... TYPE}, {@code VACUUM FULL},
 * {@code CLUSTER}) has gone, which PostgreSQL does not report, and when it will end.
 *
 * <p><b>Bytes.</b> The WAL the rewrite should write comes from the table's size before the step
 * ({@link RelationSize}). ALTER TABLE inserts the rows one by one, one WAL record each: the row
 * plus about {@value #WAL_BYTES_PER_ROW} bytes of record header. VACUUM FULL and CLUSTER write
 * whole pages as page images: about the heap's size. Each rebuilt index writes its pages once
 * ({@value #INDEX_WAL_FACTOR} times the old index, which is usually a little bloated); TOAST is
 * written as it is. Dead rows are not copied, nor their index entries: when the statistics
 * describe the table as it is, heap and indexes count for their share of live rows. With the apps
 * stopped, the migration writes nearly all the WAL.
 *
 * <p><b>Time.</b> The WAL says where the rewrite is, not when it ends: it is all written in the
 * first half of a step or so, and the index sorts and the foreign-key validation write none. So
 * the step is modelled as its phases, in PostgreSQL's order ({@link RewritePlan}): the heap (WAL
 * rising at a rate measured now), then for each index a sort (WAL flat) and a write (WAL rising),
 * then the foreign-key validation (WAL flat). The WAL written places the step in that sequence
 * (a flat WAL after an index's share is written is the next index's sort); the phases still to
 * come last what the {@link TimeProfile} says relative to the heap's measured speed; the phase
 * under way, its predicted length less the time already spent in it. When that time is spent and
 * nothing remains, the step is overdue, and the estimate says in which phase.
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
  /**
   * The heap is over when the WAL stops rising past this share of the heap's expected WAL (a
   * pause before is a checkpoint or a slow disk), or at once past its whole expected WAL.
   */
  static final double HEAP_END_SHARE = 0.8;

  /** What the exporter sees of the rewrite at one refresh. */
  record RewriteSample(long wal, Instant at, Backend session, int workers) {}

  /**
   * One look at the rewrite.
   *
   * @param overrun the phase the step is in while past its estimate ("sorting index 2 of 4"),
   *     empty while it is not
   */
  record Estimate(double ratio, Optional<Instant> eta, String detail, long writtenBytes,
      long expectedBytes, Optional<String> overrun) {}

  private final String table;
  private final TimeProfile profile;
  private final long baselineLsn;
  private final double heapWal;
  private final double expectedWal;
  private final List<Double> indexWal = new ArrayList<>();
  private final List<Double> indexBytes = new ArrayList<>();
  private final double foreignKeyBytes;
  private Instant workStart;
  private long lastLsn;
  private Instant lastAt;
  /** The heap's WAL and the time its rewrite ended, once seen; null before. */
  private Double heapEndWal;
  private Instant heapEndAt;
  /** Since when the WAL has been flat; null while it rises. */
  private Instant flatSince;
  private Instant overdueSince;
  private double reported;

  RewriteEstimator(RewriteTarget target, RelationSize size, RewritePlan plan, TimeProfile profile,
      long baselineLsn, Instant baselineAt, Instant startedAt) {
    this.table = target.table();
    this.profile = profile;
    this.baselineLsn = baselineLsn;
    this.workStart = startedAt;
    double rowHeaders = target.rowByRow() ? size.tuples() * WAL_BYTES_PER_ROW : 0;
    this.heapWal = size.heapBytes() * size.liveFraction() + rowHeaders + size.toastBytes();
    double indexTotal = size.indexBytes() * size.liveFraction() * INDEX_WAL_FACTOR;
    this.expectedWal = heapWal + indexTotal;
    List<RewritePlan.Index> indexes = plan.indexes().isEmpty() && size.indexBytes() > 0
        ? List.of(new RewritePlan.Index("", size.indexBytes())) : plan.indexes();
    double planned = indexes.stream().mapToDouble(RewritePlan.Index::bytes).sum();
    for (RewritePlan.Index index : indexes) {
      // Each index's share of the table's index WAL: the two sizes are read apart.
      indexWal.add(planned > 0 ? indexTotal * index.bytes() / planned : 0);
      indexBytes.add((double) index.bytes());
    }
    this.foreignKeyBytes = plan.foreignKeyBytes();
    this.lastLsn = baselineLsn;
    this.lastAt = baselineAt;
  }

  String table() {
    return table;
  }

  double expectedWal() {
    return expectedWal;
  }

  /** {@link #update(RewriteSample)} with the sample's parts. */
  Estimate update(long lsn, Instant at, Backend session, int parallelWorkers) {
    return update(new RewriteSample(lsn, at, session, parallelWorkers));
  }

  /** Updates the estimate with what one refresh saw. */
  Estimate update(RewriteSample sample) {
    Instant at = sample.at();
    long written = Math.max(0, sample.wal() - baselineLsn);
    double seconds = seconds(lastAt, at);
    double rate = seconds > 0 ? (sample.wal() - lastLsn) / seconds : 0;
    boolean rising = rate >= RISING_BYTES_PER_SECOND;
    boolean waiting = sample.session() != null && sample.session().waitingOnLock();
    if (waiting && written < 0.01 * expectedWal) {
      // Queued behind another session's lock: the rewrite has not begun.
      workStart = at;
    }
    Instant stop = rising ? at : stopOf(rate, at);
    if (heapEndWal == null && (written > heapWal || !rising && written >= HEAP_END_SHARE * heapWal)) {
      heapEndWal = Math.min(written, heapWal);
      heapEndAt = stop;
    }
    if (rising) {
      flatSince = null;
    } else if (flatSince == null) {
      flatSince = stop;
    }
    lastLsn = sample.wal();
    lastAt = at;

    Phase phase = phase(written, rising, waiting, at);
    double remaining = phase.remaining();
    double elapsed = seconds(workStart, at);
    Optional<Instant> eta = Optional.empty();
    Optional<String> overrun = Optional.empty();
    if (!waiting && written >= 0.01 * expectedWal) {
      if (remaining > 0) {
        overdueSince = null;
        eta = Optional.of(at.plusMillis(Math.round(remaining * 1000)));
      } else {
        overdueSince = overdueSince == null ? at : overdueSince;
        eta = Optional.of(overdueSince);
        overrun = Optional.of(phase.name());
      }
      reported = Math.max(reported, Math.min(RUNNING_CAP, elapsed / (elapsed + remaining)));
    }
    String helpers = sample.workers() == 0 ? "" : " with " + sample.workers() + " parallel worker"
        + (sample.workers() == 1 ? "" : "s");
    String detail = waiting ? "waiting for a lock on " + table
        : written < 0.01 * expectedWal ? "starting" : phase.name() + helpers;
    return new Estimate(reported, eta, detail, written, (long) expectedWal, overrun);
  }

  /** Where the step is and how long the rest lasts, in seconds from {@code at}. */
  private Phase phase(long written, boolean rising, boolean waiting, Instant at) {
    double heapRate = heapRate(written);
    int count = indexWal.size();
    if (heapEndWal == null || waiting || rising && count == 0) {
      return new Phase("rewriting the table",
          Math.max(0, heapWal - written) / heapRate + after(-1, heapRate));
    }
    // The indexes whose write is over: a flat WAL never stops in the middle of one.
    double position = heapEndWal;
    int index = 0;
    while (index < count && written >= position + (rising ? 1 : 0.5) * indexWal.get(index)) {
      position += indexWal.get(index);
      index++;
    }
    if (rising) {
      int writing = Math.min(index, count - 1);
      double end = index < count ? position + indexWal.get(writing) : position;
      return new Phase("writing index " + (writing + 1) + " of " + count,
          Math.max(0, end - written) / (profile.indexWrite() * heapRate)
              + after(writing, heapRate));
    }
    double flat = seconds(flatSince, at);
    if (index < count) {
      return new Phase("sorting index " + (index + 1) + " of " + count,
          Math.max(0, sort(index, heapRate) - flat)
              + indexWal.get(index) / (profile.indexWrite() * heapRate) + after(index, heapRate));
    }
    return new Phase(foreignKeyBytes > 0 ? "checking foreign keys" : "finishing",
        Math.max(0, foreignKeys(heapRate) - flat));
  }

  /** The seconds the phases after index {@code index} (-1: after the heap) last. */
  private double after(int index, double heapRate) {
    double total = foreignKeys(heapRate);
    for (int next = index + 1; next < indexWal.size(); next++) {
      total += sort(next, heapRate) + indexWal.get(next) / (profile.indexWrite() * heapRate);
    }
    return total;
  }

  private double sort(int index, double heapRate) {
    return (profile.indexScan() * heapWal + profile.indexSort() * indexBytes.get(index)) / heapRate;
  }

  private double foreignKeys(double heapRate) {
    return profile.foreignKeyScan() * foreignKeyBytes / heapRate;
  }

  /** The heap's WAL rate: measured once a second of it is seen, else the profile's. */
  private double heapRate(long written) {
    if (heapEndWal != null) {
      double seconds = seconds(workStart, heapEndAt);
      return seconds > 0 ? heapEndWal / seconds : profile.heapWalPerSecond();
    }
    double seconds = seconds(workStart, lastAt);
    return seconds >= 1 && written > 0 ? written / seconds : profile.heapWalPerSecond();
  }

  /** When the WAL stopped rising between the last look and {@code at}, at the rate seen. */
  private Instant stopOf(double rate, Instant at) {
    double heapRate = heapRate((long) (lastLsn - baselineLsn));
    double seconds = seconds(lastAt, at);
    double moving = heapRate > 0 ? Math.min(seconds, rate * seconds / heapRate) : 0;
    return lastAt.plusMillis(Math.round(Math.max(0, moving) * 1000));
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1e3;
  }

  /** Where the rewrite is, and the seconds it has left. */
  private record Phase(String name, double remaining) {}
}

package io.migrationexporter.source.postgres;

import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepMeasure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Estimates how far a table rewrite ({@code ALTER TABLE ... TYPE}, {@code VACUUM FULL},
 * {@code CLUSTER}) has gone, which PostgreSQL does not report, and when it will end.
 *
 * <p><b>Bytes.</b> The WAL the rewrite should write comes from the table's size before the step
 * ({@link RelationSize}). ALTER TABLE inserts the rows one by one, one WAL record each: the row
 * plus about {@value #WAL_BYTES_PER_ROW} bytes (record header, and the growth of an int to bigint
 * column: measured by bench/eta.sh). VACUUM FULL and CLUSTER write
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
 * under way, its predicted length less the time already spent in it. The step never goes back a phase. When that time is spent and
 * nothing remains, the step is overdue, and the estimate says in which phase.
 */
final class RewriteEstimator {
  /**
   * WAL per rewritten row beyond the row's size before the step: record header, block reference,
   * padding, and the widened column (both Pix int to bigint statements at 1 to 10 M rows).
   */
  static final double WAL_BYTES_PER_ROW = 36;
  /** WAL per byte of the indexes rebuilt, relative to their size before the rewrite. */
  static final double INDEX_WAL_FACTOR = 0.92;
  /**
   * Below this WAL rate, or this share of the heap's, the migration is not writing: it sorts,
   * scans or waits (a sort's start and a key validation write a little).
   */
  static final double RISING_BYTES_PER_SECOND = 512 * 1024;
  static final double RISING_SHARE = 0.1;
  static final double RATE_WINDOW_SECONDS = 0.75;
  /** The reported ratio stays below 1 while the step runs: only its end says it is done. */
  static final double RUNNING_CAP = 0.99;
  /**
   * The heap is over when the WAL stops rising past this share of the heap's expected WAL (a
   * pause before is a checkpoint or a slow disk; the first index's sort always follows with a
   * flat WAL), or at once past {@link #HEAP_OVERSHOOT} times its expected WAL.
   */
  static final double HEAP_END_SHARE = 0.8;
  /** Past this multiple of its expected WAL the heap is over even without a pause. */
  static final double HEAP_OVERSHOOT = 1.1;
  /** Less time left than this is no time left: the step is overdue, never "ends in 0 s". */
  static final double LEFT_MIN_SECONDS = 1;

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
  private final Optional<RelationVolume> volume;
  private final TimeProfile profile;
  private final long baselineLsn;
  private final double heapWal;
  private final double expectedWal;
  private final List<Double> indexWal = new ArrayList<>();
  /** The rows the foreign-key validations join, per row of the table. */
  private final double foreignKeyRowsPerRow;
  private Instant workStart;
  private long lastLsn;
  private Instant lastAt;
  /**
   * The WAL rate is taken from {@code before}, the last look at least
   * {@link #RATE_WINDOW_SECONDS} old, to the current one: over a fraction of a second the WAL
   * comes in bursts. {@code looks} are the ones since.
   */
  private Look before;
  private final Deque<Look> looks = new ArrayDeque<>();
  /** The heap's WAL and the time its rewrite ended, once seen; null before. */
  private Double heapEndWal;
  private Instant heapEndAt;
  /** Since when the WAL has been flat; null while it rises. */
  private Instant flatSince;
  /** Since when the WAL has been rising, once it has. */
  private Instant risingSince;
  /** The phase the step was last seen in and since when, once past the heap; null before. */
  private Phase current;
  private Instant phaseStart;
  private Instant overdueSince;
  private double reported;
  /** The phases after the heap as they began, for the measure of the step at its end. */
  private final List<PhaseStart> phaseStarts = new ArrayList<>();

  RewriteEstimator(RewriteTarget target, RelationSize size, RewritePlan plan, TimeProfile profile,
      long baselineLsn, Instant baselineAt, Instant startedAt) {
    this.table = target.table();
    this.volume = size.heapBytes() > 0 ? Optional.of(size.volume(table)) : Optional.empty();
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
    }
    this.foreignKeyRowsPerRow = size.tuples() > 0 ? plan.foreignKeyRows() / size.tuples() : 0;
    this.lastLsn = baselineLsn;
    this.lastAt = baselineAt;
    this.before = new Look(baselineLsn, baselineAt);
  }
  /** The table's size when the step started, for the journal and the expected duration. */
  Optional<RelationVolume> volume() {
    return volume;
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
    while (!looks.isEmpty() && seconds(looks.getFirst().at(), at) >= RATE_WINDOW_SECONDS) {
      before = looks.removeFirst();
    }
    looks.addLast(new Look(sample.wal(), at));
    double seconds = seconds(before.at(), at);
    double rate = seconds > 0 ? (sample.wal() - before.wal()) / seconds : 0;
    boolean rising = rate >= Math.max(RISING_BYTES_PER_SECOND, RISING_SHARE * heapRate(written));
    boolean waiting = sample.session() != null && sample.session().waitingOnLock();
    if (waiting && written < 0.01 * expectedWal) {
      // Queued behind another session's lock: the rewrite has not begun.
      workStart = at;
    }
    Instant stop = rising ? at : stopOf(before, rate, at);
    if (heapEndWal == null && (written > HEAP_OVERSHOOT * heapWal
        || !rising && written >= HEAP_END_SHARE * heapWal)) {
      heapEndWal = Math.min(written, heapWal);
      heapEndAt = stop;
    }
    if (rising) {
      if (flatSince != null || risingSince == null) {
        risingSince = startOf(before, rate, at);
      }
      flatSince = null;
    } else if (flatSince == null) {
      flatSince = stop;
    }
    lastLsn = sample.wal();
    lastAt = at;

    Phase phase = phase(written, rising, waiting);
    if (current != null && phase.ordinal() < current.ordinal()) {
      // A pause in an index's write, a burst during a sort or a key check: the step goes on.
      phase = current;
    } else if (heapEndAt != null && (current == null || phase.ordinal() > current.ordinal())) {
      phaseStart = rising ? risingSince : flatSince;
      current = phase;
      phaseStarts.add(new PhaseStart(phase.ordinal(), phaseStart));
    }
    double remaining = remaining(phase, written, at);
    double elapsed = seconds(workStart, at);
    Optional<Instant> eta = Optional.empty();
    Optional<String> overrun = Optional.empty();
    if (!waiting && written >= 0.01 * expectedWal) {
      if (remaining >= LEFT_MIN_SECONDS) {
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

  /**
   * Where the step is: the heap (ordinal 0), then index i's sort (2i + 1) and write (2i + 2), then
   * the foreign keys (2n + 1).
   */
  private Phase phase(long written, boolean rising, boolean waiting) {
    int count = indexWal.size();
    if (heapEndWal == null || waiting || rising && count == 0) {
      return new Phase("rewriting the table", 0, heapWal);
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
      return new Phase("writing index " + (writing + 1) + " of " + count, 2 * writing + 2,
          index < count ? position + indexWal.get(writing) : position);
    }
    if (index < count) {
      return new Phase("sorting index " + (index + 1) + " of " + count, 2 * index + 1, position);
    }
    return new Phase(foreignKeyRowsPerRow > 0 ? "checking foreign keys" : "finishing",
        2 * count + 1, position);
  }

  /** The seconds the step has left from {@code at}, in {@code phase}. */
  private double remaining(Phase phase, long written, Instant at) {
    double heapRate = heapRate(written);
    if (phase.ordinal() == 0) {
      return Math.max(0, heapWal - written) / heapRate + after(0, heapRate);
    }
    double rest = after(phase.ordinal(), heapRate);
    if (phase.ordinal() % 2 == 0) {
      return Math.max(0, phase.endWal() - written) / (profile.indexWrite() * heapRate) + rest;
    }
    return Math.max(0, duration(phase.ordinal(), heapRate) - seconds(phaseStart, at)) + rest;
  }

  /** The seconds the phases after {@code ordinal} last. */
  private double after(int ordinal, double heapRate) {
    double total = 0;
    for (int next = ordinal + 1; next <= 2 * indexWal.size() + 1; next++) {
      total += duration(next, heapRate);
    }
    return total;
  }

  /** A phase after the heap: sort, write or the foreign keys. */
  private double duration(int ordinal, double heapRate) {
    if (ordinal == 2 * indexWal.size() + 1) {
      // A join of both tables of each key, row by row.
      return profile.foreignKeyJoin() * foreignKeyRowsPerRow * heapWal / heapRate;
    }
    if (ordinal % 2 == 1) {
      // An index's entries are the table's rows, as many as the heap phase wrote.
      return profile.indexSort() * heapWal / heapRate;
    }
    return indexWal.get(ordinal / 2 - 1) / (profile.indexWrite() * heapRate);
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

  /**
   * What this rewrite measured once it finished at {@code end} with the WAL at {@code wal}: the
   * WAL it wrote, and each phase after the heap relative to the heap phase as {@link TimeProfile}
   * models it, so that a profile measured here predicts this step's phases exactly at the heap
   * speed seen here. Index figures need an index write seen; a sort too short to be seen between
   * two reads counts as none.
   */
  StepMeasure measure(long wal, Instant end) {
    long written = Math.max(0, wal - baselineLsn);
    double heapSeconds = heapEndAt == null ? 0 : seconds(workStart, heapEndAt);
    if (heapSeconds <= 0 || heapEndWal <= 0) {
      return new StepMeasure(written, OptionalDouble.empty(), OptionalDouble.empty(),
          OptionalDouble.empty());
    }
    double rate = heapEndWal / heapSeconds;
    double heapTime = heapWal / rate;
    int count = indexWal.size();
    double sorting = 0;
    double writing = 0;
    double indexWritten = 0;
    OptionalDouble foreignKeys = OptionalDouble.empty();
    for (int i = 0; i < phaseStarts.size(); i++) {
      PhaseStart phase = phaseStarts.get(i);
      Instant until = i + 1 < phaseStarts.size() ? phaseStarts.get(i + 1).at() : end;
      double lasted = Math.max(0, seconds(phase.at(), until));
      if (phase.ordinal() == 2 * count + 1) {
        if (foreignKeyRowsPerRow > 0) {
          foreignKeys = OptionalDouble.of(lasted / (heapTime * foreignKeyRowsPerRow));
        }
      } else if (phase.ordinal() % 2 == 1) {
        sorting += lasted;
      } else {
        writing += lasted;
        indexWritten += indexWal.get(phase.ordinal() / 2 - 1);
      }
    }
    boolean indexesSeen = writing > 0 && indexWritten > 0;
    return new StepMeasure(written,
        indexesSeen ? OptionalDouble.of(sorting / count / heapTime) : OptionalDouble.empty(),
        indexesSeen ? OptionalDouble.of(indexWritten / writing / rate) : OptionalDouble.empty(),
        foreignKeys);
  }

  /** When the WAL started rising between the look {@code before} and {@code at}, at the rate seen. */
  private Instant startOf(Look before, double rate, Instant at) {
    return at.minusMillis(Math.round(seconds(before.at(), stopOf(before, rate, at)) * 1000));
  }

  /** When the WAL stopped rising between the look {@code before} and {@code at}, at the rate seen. */
  private Instant stopOf(Look before, double rate, Instant at) {
    double heapRate = heapRate((long) (lastLsn - baselineLsn));
    double seconds = seconds(before.at(), at);
    double moving = heapRate > 0 ? Math.min(seconds, rate * seconds / heapRate) : 0;
    return before.at().plusMillis(Math.round(Math.max(0, moving) * 1000));
  }


  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1e3;
  }

  /**
   * Where the rewrite is.
   *
   * @param ordinal the phase's rank in PostgreSQL's order (see {@link #phase})
   * @param endWal the WAL written when this phase ends (a write), or when it began (a sort)
   */
  private record Phase(String name, int ordinal, double endWal) {}

  /** A phase after the heap and when it began. */
  private record PhaseStart(int ordinal, Instant at) {}

  /** The WAL position seen at one refresh. */
  private record Look(long wal, Instant at) {}
}

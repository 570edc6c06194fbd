package io.migrationexporter.source.postgres;

import io.migrationexporter.config.RehearsalProfile;
import java.util.Optional;

/**
 * How long the phases of a table rewrite take relative to its heap phase, whose speed is measured
 * during the step itself: a slow disk or a busy server slows every phase alike, so the ratios
 * carry over from one machine to another better than absolute speeds do.
 *
 * <p>With R the WAL rate of the heap rewrite (bytes per second, measured while it runs), T the
 * heap phase's duration at that rate (its expected WAL over R), N the table's rows and F the rows
 * a foreign-key validation joins (referencing plus referenced table):
 *
 * <ul>
 *   <li>an index sort (no WAL: the new heap is scanned and its N entries sorted) lasts
 *       {@code indexSort × T};
 *   <li>its write (WAL rising) runs at {@code indexWrite × R};
 *   <li>the foreign-key validation (no WAL: a join of both tables) lasts
 *       {@code foreignKeyJoin × T × F / N}.
 * </ul>
 *
 * <p>A measured rehearsal of the same migration supplies its own profile ({@link #of}).
 *
 * @param heapWalPerSecond the heap's WAL rate assumed until the step's own is measured
 */
record TimeProfile(double heapWalPerSecond, double indexSort, double indexWrite,
    double foreignKeyJoin) {
  /**
   * About the medians of the phases of the Pix migration's first run at 6 and 10 M rows
   * (PostgreSQL 15, 2 cores), both statements; a second run checks it (bench/eta.sh; the errors
   * in docs/postgres.md, "Measured ETA error").
   */
  static final TimeProfile MEASURED = new TimeProfile(40e6, 0.27, 1.0, 0.55);

  /**
   * The rehearsal's profile when one is configured for the step: the same migration on a copy of
   * the same data beats medians of another; else, and for a ratio it did not measure,
   * {@link #MEASURED}. The heap's rate is measured
   * during the step either way.
   */
  static TimeProfile of(Optional<RehearsalProfile> rehearsal) {
    return rehearsal.map(r -> new TimeProfile(MEASURED.heapWalPerSecond(),
        r.indexSort().orElse(MEASURED.indexSort()), r.indexWrite().orElse(MEASURED.indexWrite()),
        r.foreignKeyJoin().orElse(MEASURED.foreignKeyJoin()))).orElse(MEASURED);
  }
}

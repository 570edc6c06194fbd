package io.migrationexporter.source.postgres;

/**
 * How long the phases of a table rewrite take relative to its heap phase, whose speed is measured
 * during the step itself: a slow disk or a busy server slows every phase alike, so the ratios
 * carry over from one machine to another better than absolute speeds do.
 *
 * <p>With R the WAL rate of the heap rewrite (bytes per second, measured while it runs), H the
 * heap's WAL, I an index's size before the step and F the heap bytes a foreign-key validation
 * reads (referencing and referenced table):
 *
 * <ul>
 *   <li>an index sort (no WAL: the new heap is scanned and the entries sorted) lasts
 *       {@code (indexScan × H + indexSort × I) / R};
 *   <li>its write (WAL rising) runs at {@code indexWrite × R};
 *   <li>the foreign-key validation (no WAL: a join of both tables) lasts
 *       {@code foreignKeyScan × F / R}.
 * </ul>
 *
 * <p>A measured rehearsal of the same migration can later supply its own profile.
 *
 * @param heapWalPerSecond the heap's WAL rate assumed until the step's own is measured
 */
record TimeProfile(double heapWalPerSecond, double indexScan, double indexSort,
    double indexWrite, double foreignKeyScan) {
  /**
   * Fitted on the Pix migration at 2 M and 6 M rows (PostgreSQL 16, 2 cores), both statements;
   * the 10 M runs are kept out of the fit to check it (bench/eta.sh, docs/postgres.md).
   */
  static final TimeProfile MEASURED = new TimeProfile(40e6, 0.0, 1.25, 4.0, 1.0);
}

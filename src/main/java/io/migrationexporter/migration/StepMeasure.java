package io.migrationexporter.migration;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the source measured of a table rewrite that finished: the WAL it wrote and how its time
 * split between the heap rewrite, the index builds and the foreign-key validation, in the terms
 * of the PostgreSQL source's ETA profile (each relative to the heap phase). A phase too short to
 * be seen between two reads, or absent (a table without index or foreign key), is not measured.
 *
 * @param walBytes the WAL written from the step's start to its end
 * @param indexSort each index sort's duration over the heap phase's
 * @param indexWrite the index writes' WAL rate over the heap's
 * @param foreignKeyJoin the foreign-key validation's duration over the heap phase's, per row
 *     joined per row of the table
 */
public record StepMeasure(long walBytes, OptionalDouble indexSort, OptionalDouble indexWrite,
    OptionalDouble foreignKeyJoin) {
  public StepMeasure {
    Objects.requireNonNull(indexSort);
    Objects.requireNonNull(indexWrite);
    Objects.requireNonNull(foreignKeyJoin);
    if (walBytes < 0) {
      throw new IllegalArgumentException("WAL " + walBytes + " bytes");
    }
  }

  /** Whether any phase after the heap was measured. */
  public boolean hasProfile() {
    return indexSort.isPresent() || indexWrite.isPresent() || foreignKeyJoin.isPresent();
  }
}

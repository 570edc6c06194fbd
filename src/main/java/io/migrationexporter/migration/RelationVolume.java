package io.migrationexporter.migration;

import java.util.Objects;
import java.util.Optional;

/**
 * The size of the table a step rewrites, as the catalog gave it when the step started.
 *
 * @param table the table as the step's statement names it, if known: the night reads the size
 *     of the table a rehearsed step rewrote before the step starts
 * @param bytes the table's heap, in bytes
 * @param rows its rows, as the statistics count them
 */
public record RelationVolume(Optional<String> table, long bytes, long rows) {
  public RelationVolume {
    Objects.requireNonNull(table);
    if (bytes <= 0 || rows < 0) {
      throw new IllegalArgumentException("relation volume " + bytes + " bytes, " + rows + " rows");
    }
  }

  public RelationVolume(long bytes, long rows) {
    this(Optional.empty(), bytes, rows);
  }
}

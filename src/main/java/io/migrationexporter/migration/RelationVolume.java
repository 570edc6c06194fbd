package io.migrationexporter.migration;

/**
 * The size of the table a step rewrites, as the catalog gave it when the step started.
 *
 * @param bytes the table's heap, in bytes
 * @param rows its rows, as the statistics count them
 */
public record RelationVolume(long bytes, long rows) {
  public RelationVolume {
    if (bytes <= 0 || rows < 0) {
      throw new IllegalArgumentException("relation volume " + bytes + " bytes, " + rows + " rows");
    }
  }
}

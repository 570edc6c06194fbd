package io.migrationexporter.config;

import java.util.OptionalDouble;

/**
 * How a rehearsed table rewrite's time split after its heap phase, relative to it: written by
 * {@code report --expectations} as {@code expectations.<migration>.<step>.profile}, it replaces
 * the built-in profile of the PostgreSQL source's ETA for that step. A ratio the rehearsal could
 * not measure (a table without index or foreign key, a phase shorter than a read) is absent and
 * keeps the built-in one.
 *
 * @param indexSort each index sort's duration over the heap phase's
 * @param indexWrite each index write's WAL rate over the heap phase's
 * @param foreignKeyJoin the foreign-key validation's duration over the heap phase's, per row
 *     joined per row of the table
 */
public record RehearsalProfile(OptionalDouble indexSort, OptionalDouble indexWrite,
    OptionalDouble foreignKeyJoin) {
  /** The bounds {@code report --expectations} and the configuration both hold a ratio to. */
  public static final double MIN_INDEX_WRITE = 0.01;
  public static final double MAX_RATIO = 100;

  static RehearsalProfile read(ConfigNode node) {
    RehearsalProfile profile = new RehearsalProfile(ratio(node, "index-sort", 0),
        ratio(node, "index-write", MIN_INDEX_WRITE), ratio(node, "foreign-key-join", 0));
    node.finish();
    return profile;
  }

  private static OptionalDouble ratio(ConfigNode node, String key, double min) {
    return node.has(key) ? OptionalDouble.of(node.number(key, min, MAX_RATIO))
        : OptionalDouble.empty();
  }
}

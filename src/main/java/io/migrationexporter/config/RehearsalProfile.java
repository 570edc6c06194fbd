package io.migrationexporter.config;

/**
 * How a rehearsed table rewrite's time split after its heap phase, relative to it: written by
 * {@code report --expectations} as {@code expectations.<migration>.<step>.profile}, it replaces
 * the built-in profile of the PostgreSQL source's ETA for that step.
 *
 * @param indexSort each index sort's duration over the heap phase's
 * @param indexWrite each index write's WAL rate over the heap phase's
 * @param foreignKeyJoin the foreign-key validation's duration over the heap phase's, per row
 *     joined per row of the table
 */
public record RehearsalProfile(double indexSort, double indexWrite, double foreignKeyJoin) {
  static RehearsalProfile read(ConfigNode node) {
    RehearsalProfile profile = new RehearsalProfile(node.number("index-sort", 0, 100),
        node.number("index-write", 0.01, 100), node.number("foreign-key-join", 0, 100));
    node.finish();
    return profile;
  }
}

package io.migrationexporter.collect;

/**
 * What a kind parsed for one source: plain data (a record), compared to tell whether a reload
 * changed the source, and the one way to create the source from it.
 */
public interface SourceSettings {
  /**
   * Creates the source {@code definition} describes, with what it shares with other sources taken
   * from {@code shared}. Only the collector calls it, when a plan is activated, and it closes the
   * source once the source is no longer in use.
   */
  Source open(SourceDefinition definition, SharedResources shared);

  /** One line on what the source reads, for {@code check-config}; never a credential. */
  String describe(SourceDefinition definition);
}

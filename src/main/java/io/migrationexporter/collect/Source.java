package io.migrationexporter.collect;

import java.util.concurrent.CompletableFuture;

/**
 * One upstream thing the exporter reads: an HTTP endpoint, a port, a database, an API account.
 *
 * <p>A source only reads and reports. Deciding when to read (minimum interval, single flight),
 * bounding the wait by the scrape deadline, keeping the last good reading, timing and counting
 * failures all belong to the {@link Collector}, so that every source behaves the same.
 *
 * <p>A refresh completes with a {@link Reading}, or exceptionally with a {@link SourceException}
 * whose message is safe to show. Any other exception is reported as an internal error without
 * its message, which could carry a credential.
 */
public interface Source extends AutoCloseable {
  /** Stable identifier, {@code kind:name}, the {@code source} label of the source metrics. */
  String id();

  SourceSchedule schedule();

  /**
   * The settings this source was built from. After a configuration reload a source whose
   * definition is equal keeps its runner, so its data and timing survive the reload.
   */
  Object definition();

  CompletableFuture<Reading> refresh(RefreshContext context);

  /** One line on what this source reads, for {@code check-config}; never a credential. */
  default String describe() {
    return definition().toString();
  }

  /** Releases what the source holds (connections, clients). */
  @Override
  default void close() {}
}

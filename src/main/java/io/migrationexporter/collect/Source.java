package io.migrationexporter.collect;

import java.util.concurrent.CompletableFuture;

/**
 * One upstream thing the exporter reads: an HTTP endpoint, a port, a database, an API account.
 * It is created from its {@link SourceDefinition} by the {@link Collector}, which alone closes it.
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
  CompletableFuture<Reading> refresh(RefreshContext context);

  /** Releases what the source holds (connections, clients). */
  @Override
  default void close() {}
}

package io.migrationexporter.collect;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A source whose read blocks (JDBC, a socket connect): it runs on the collector's blocking pool. */
public abstract class BlockingSource implements Source {
  @Override
  public final CompletableFuture<Reading> refresh(RefreshContext context) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return read(context);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, context.blockingExecutor());
  }

  /** Reads the source; must respect {@link RefreshContext#remaining()}. */
  protected abstract Reading read(RefreshContext context) throws Exception;
}

package io.migrationexporter.source.scalingo;

import io.migrationexporter.collect.RefreshContext;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A short-lived bearer token obtained by an exchange (the account's JWT, a database add-on's
 * token), reused until 5 minutes before it expires. Concurrent refreshes that need a new one share
 * a single exchange.
 */
final class BearerCache {
  private final Function<RefreshContext, CompletableFuture<String>> exchange;
  private String token;
  private Instant renewAfter = Instant.MIN;
  private CompletableFuture<String> exchanging;

  BearerCache(Function<RefreshContext, CompletableFuture<String>> exchange) {
    this.exchange = exchange;
  }

  synchronized CompletableFuture<String> get(RefreshContext context) {
    if (token != null && context.clock().instant().isBefore(renewAfter)) {
      return CompletableFuture.completedFuture(token);
    }
    if (exchanging != null && !exchanging.isDone()) {
      return exchanging;
    }
    CompletableFuture<String> started = exchange.apply(context);
    exchanging = started;
    started.thenAccept(this::store);
    return started;
  }

  private synchronized void store(String fresh) {
    token = fresh;
    renewAfter = Jwt.renewAfter(fresh);
  }

  /** Forgets {@code refused} (an API answered 401 to it), unless a newer token replaced it. */
  synchronized void invalidate(String refused) {
    if (refused.equals(token)) {
      token = null;
    }
  }
}

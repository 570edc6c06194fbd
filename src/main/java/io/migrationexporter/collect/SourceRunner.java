package io.migrationexporter.collect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs the refreshes of one source: at most one at a time, never more often than its interval. */
final class SourceRunner {
  private static final Logger LOG = Logger.getLogger(SourceRunner.class.getName());

  private final SourceDefinition definition;
  private final Source source;
  private final SharedResources resources;
  private final Clock clock;
  private final Executor blockingExecutor;
  private volatile Runnable onChange;
  private volatile SourceState state;
  private CompletableFuture<Void> inFlight;

  /** Creates the source of {@code definition}, with the shared resources it takes from {@code pool}. */
  SourceRunner(SourceDefinition definition, SharedResources.Pool pool, Clock clock,
      Executor blockingExecutor, Runnable onChange) {
    this.definition = definition;
    this.resources = pool.forOneSource();
    this.source = open(definition, resources);
    this.clock = clock;
    this.blockingExecutor = blockingExecutor;
    this.onChange = onChange;
    this.state = SourceState.initial(definition.id());
  }

  /**
   * A source that cannot even be created is a bug of its kind, not a problem of the
   * configuration (that was validated): it stays unknown, with an internal error, like a refresh
   * that throws.
   */
  private static Source open(SourceDefinition definition, SharedResources resources) {
    try {
      return definition.settings().open(definition, resources);
    } catch (RuntimeException e) {
      return context -> CompletableFuture.failedFuture(e);
    }
  }

  Source source() {
    return source;
  }

  SourceDefinition definition() {
    return definition;
  }

  /** Moves this runner, with its data, to the collector of a reloaded configuration. */
  SourceRunner rebind(Runnable newOnChange) {
    this.onChange = newOnChange;
    return this;
  }

  /** Closes the source and gives back the shared resources it took. */
  void close() {
    try {
      source.close();
    } finally {
      resources.release();
    }
  }

  SourceState state() {
    return state;
  }

  /** The earliest instant a new refresh may start, ignoring one in flight. */
  synchronized Instant nextDue() {
    SourceState current = state;
    Instant due = current.lastAttemptStartedAt()
        .map(at -> at.plus(definition.schedule().minInterval()))
        .orElse(Instant.MIN);
    Instant retry = current.retryNotBefore().orElse(Instant.MIN);
    return due.isAfter(retry) ? due : retry;
  }

  synchronized boolean inFlight() {
    return inFlight != null;
  }

  /**
   * Starts a refresh when one is due; returns the refresh in flight (new or already running), or
   * null when the data is recent enough and nothing runs.
   */
  synchronized CompletableFuture<Void> refreshIfDue(Instant now) {
    if (inFlight != null) {
      return inFlight;
    }
    if (now.isBefore(nextDue())) {
      return null;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    inFlight = done;
    state = state.started(now);
    long startNanos = System.nanoTime();
    Duration timeout = definition.schedule().refreshTimeout();
    CompletableFuture<Reading> refresh;
    try {
      refresh = source.refresh(new RefreshContext(now.plus(timeout), clock, blockingExecutor));
    } catch (RuntimeException e) {
      refresh = CompletableFuture.failedFuture(e);
    }
    refresh.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((reading, error) -> {
      finish(reading, error, Duration.ofNanos(System.nanoTime() - startNanos), timeout);
      synchronized (this) {
        inFlight = null;
      }
      onChange.run();
      done.complete(null);
    });
    return done;
  }

  private void finish(Reading reading, Throwable error, Duration took, Duration timeout) {
    if (error == null && reading != null) {
      state = state.succeeded(reading, clock.instant(), took);
      return;
    }
    Throwable cause = unwrap(error);
    SourceState previous = state;
    if (cause instanceof SourceException known) {
      state = previous.failed(known.kind(), known.getMessage(), known.retryNotBefore().orElse(null),
          took);
    } else if (cause instanceof TimeoutException) {
      state = previous.failed(ErrorKind.TIMEOUT,
          "refresh did not finish within " + Durations.format(timeout), null, took);
    } else {
      // The message of an unexpected exception may quote a URL or a credential: keep it out of
      // what is served, and log the stack trace for the developers (the log is redacted too).
      String what = cause == null ? "no reading" : cause.getClass().getSimpleName();
      state = previous.failed(ErrorKind.INTERNAL, "internal error: " + what, null, took);
      LOG.log(Level.WARNING, "source " + definition.id() + " failed unexpectedly", cause);
    }
    if (!previous.lastAttemptFailed() || !previous.lastError().equals(state.lastError())) {
      LOG.warning(() -> "source " + definition.id() + " refresh failed: " + state.lastError().orElse(""));
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}

package io.migrationexporter.collect;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps every source's data fresh enough: the runtime's pacer, a scrape or an API call asks for
 * fresh data, the collector starts the refreshes that are due, and a caller that waits does so no
 * longer than its own deadline. Concurrent callers share the refreshes in flight.
 */
public final class Collector {
  private final Clock clock;
  private final ExecutorService blockingExecutor;
  private final Map<String, SourceRunner> runners;
  private final AtomicLong generation = new AtomicLong();
  private volatile Instant nextDue = Instant.MIN;
  private volatile int inFlight;

  private Collector(Clock clock, ExecutorService blockingExecutor, Map<String, SourceRunner> runners) {
    this.clock = clock;
    this.blockingExecutor = blockingExecutor;
    this.runners = runners;
  }

  /** A collector over {@code sources}, each refreshed with its own schedule. */
  public static Collector create(Collection<Source> sources, Clock clock,
      ExecutorService blockingExecutor) {
    return successor(null, sources, clock, blockingExecutor);
  }

  /**
   * A collector for a reloaded configuration: sources whose definition and schedule did not
   * change keep their runner, and with it their last reading and timing; the equal new source is
   * closed unused.
   */
  public static Collector successor(Collector previous, Collection<Source> sources, Clock clock,
      ExecutorService blockingExecutor) {
    Map<String, SourceRunner> runners = new LinkedHashMap<>();
    Collector collector = new Collector(clock, blockingExecutor, Collections.unmodifiableMap(runners));
    for (Source source : sources) {
      SourceRunner kept = previous == null ? null : previous.runners.get(source.id());
      if (kept != null && kept.source().definition().equals(source.definition())
          && kept.source().schedule().equals(source.schedule())) {
        runners.put(source.id(), kept.rebind(collector::changed));
        source.close();
      } else {
        runners.put(source.id(), new SourceRunner(source, clock, blockingExecutor, collector::changed));
      }
    }
    return collector;
  }

  /** Sources of {@code previous} that this collector does not use any more; the caller closes them. */
  public List<Source> dropped(Collector previous) {
    List<Source> gone = new ArrayList<>();
    for (SourceRunner runner : previous.runners.values()) {
      SourceRunner now = runners.get(runner.source().id());
      if (now == null || now.source() != runner.source()) {
        gone.add(runner.source());
      }
    }
    return gone;
  }

  private void changed() {
    generation.incrementAndGet();
  }

  /** Changes whenever a refresh finishes: a cheap test of whether anything new was learnt. */
  public long generation() {
    return generation.get();
  }

  /** True when no refresh is due or running: the data already held is what a caller would get. */
  public boolean settled() {
    return inFlight == 0 && clock.instant().isBefore(nextDue);
  }

  /**
   * Starts the refreshes that are due and returns a future completing when every refresh in flight
   * at this moment has finished (successfully or not).
   */
  public CompletableFuture<Void> refreshDue() {
    if (settled()) {
      return CompletableFuture.completedFuture(null);
    }
    synchronized (this) {
      Instant now = clock.instant();
      List<CompletableFuture<Void>> running = new ArrayList<>();
      Instant next = Instant.MAX;
      int count = 0;
      for (SourceRunner runner : runners.values()) {
        CompletableFuture<Void> refresh = runner.refreshIfDue(now);
        if (refresh != null && !refresh.isDone()) {
          running.add(refresh);
          count++;
        }
        Instant due = runner.nextDue();
        if (due.isBefore(next)) {
          next = due;
        }
      }
      nextDue = next;
      inFlight = count;
      CompletableFuture<Void> all = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
      all.whenComplete((ignored, error) -> settle());
      return all;
    }
  }

  private synchronized void settle() {
    int count = 0;
    for (SourceRunner runner : runners.values()) {
      if (runner.inFlight()) {
        count++;
      }
    }
    inFlight = count;
  }

  /** The current state of every source, in configuration order. */
  public Map<String, SourceState> states() {
    Map<String, SourceState> states = new LinkedHashMap<>();
    runners.forEach((id, runner) -> states.put(id, runner.state()));
    return states;
  }

  public List<Source> sources() {
    List<Source> sources = new ArrayList<>();
    runners.values().forEach(runner -> sources.add(runner.source()));
    return sources;
  }

  public Clock clock() {
    return clock;
  }

  public ExecutorService blockingExecutor() {
    return blockingExecutor;
  }
}

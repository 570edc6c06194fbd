package io.migrationexporter.collect;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps every source's data fresh enough: the runtime's pacer, a scrape or an API call asks for
 * fresh data, the collector starts the refreshes that are due, and a caller that waits does so no
 * longer than its own deadline. Concurrent callers share the refreshes in flight.
 */
public final class Collector implements AutoCloseable {
  private final Clock clock;
  private final ExecutorService blockingExecutor;
  private final SharedResources.Pool resources;
  private final Map<String, SourceRunner> runners;
  private final AtomicLong generation = new AtomicLong();
  private volatile Instant nextDue = Instant.MIN;
  private volatile int inFlight;

  private Collector(Clock clock, ExecutorService blockingExecutor, SharedResources.Pool resources,
      Map<String, SourceRunner> runners) {
    this.clock = clock;
    this.blockingExecutor = blockingExecutor;
    this.resources = resources;
    this.runners = runners;
  }

  /** A collector creating the sources {@code definitions} describe, each on its own schedule. */
  public static Collector create(Collection<SourceDefinition> definitions, Clock clock,
      ExecutorService blockingExecutor) {
    return successor(null, definitions, clock, blockingExecutor);
  }

  /**
   * A collector for a reloaded configuration: a source whose definition (schedule included) did
   * not change keeps its runner, and with it its last reading and timing; only the sources whose
   * definition is new or changed are created. Once this collector is in use, {@link #retire}
   * closes what {@code previous} held and this one does not.
   */
  public static Collector successor(Collector previous, Collection<SourceDefinition> definitions,
      Clock clock, ExecutorService blockingExecutor) {
    Map<String, SourceRunner> runners = new LinkedHashMap<>();
    SharedResources.Pool resources = previous == null ? new SharedResources.Pool()
        : previous.resources;
    Collector collector = new Collector(clock, blockingExecutor, resources,
        Collections.unmodifiableMap(runners));
    for (SourceDefinition definition : definitions) {
      SourceRunner kept = previous == null ? null : previous.runners.get(definition.id());
      if (kept != null && kept.definition().equals(definition)) {
        runners.put(definition.id(), kept.rebind(collector::changed));
      } else {
        runners.put(definition.id(), new SourceRunner(definition, resources, clock,
            blockingExecutor, collector::changed));
      }
    }
    return collector;
  }

  /** Closes the sources of {@code previous}, the collector this one replaced, that it does not use. */
  public void retire(Collector previous) {
    for (SourceRunner runner : previous.runners.values()) {
      if (runners.get(runner.definition().id()) != runner) {
        runner.close();
      }
    }
  }

  /** Closes every source. */
  @Override
  public void close() {
    runners.values().forEach(SourceRunner::close);
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

  /** The running source {@code id}, for a test or a diagnosis to look into; never to close. */
  public Optional<Source> source(String id) {
    return Optional.ofNullable(runners.get(id)).map(SourceRunner::source);
  }

  public Clock clock() {
    return clock;
  }

  public ExecutorService blockingExecutor() {
    return blockingExecutor;
  }
}

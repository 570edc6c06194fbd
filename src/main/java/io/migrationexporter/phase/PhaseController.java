package io.migrationexporter.phase;

import io.migrationexporter.event.Journal;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/** Owns the current phase: changes it, persists it first, then tells the journal. */
public final class PhaseController {
  private final PhaseStore store;
  private final Clock clock;
  private final Journal journal;
  private volatile List<String> order;
  private volatile PhaseState state;

  private PhaseController(PhaseStore store, Clock clock, Journal journal, List<String> order,
      PhaseState state) {
    this.store = store;
    this.clock = clock;
    this.journal = journal;
    this.order = List.copyOf(order);
    this.state = state;
  }

  /** Restores the saved phase, or starts in {@code initial} (and saves it) when none was saved. */
  public static PhaseController open(PhaseStore store, Clock clock, Journal journal,
      List<String> order, String initial) throws PhaseStateException, IOException {
    PhaseState saved = store.load().orElse(null);
    if (saved == null) {
      saved = PhaseState.initial(initial, clock.instant());
      store.save(saved);
      journal.record("phase", initial, null, initial, "starting in phase " + initial);
    } else if (!order.contains(saved.current())) {
      throw new PhaseStateException("the phase state file " + store.file() + " says phase '"
          + saved.current() + "', which phases.order " + order + " does not list");
    }
    return new PhaseController(store, clock, journal, order, saved);
  }

  public PhaseState state() {
    return state;
  }

  public List<String> order() {
    return order;
  }

  /** Accepts the phase list of a reloaded configuration, if it still lists the current phase. */
  public synchronized void reorder(List<String> newOrder) throws PhaseStateException {
    if (!newOrder.contains(state.current())) {
      throw new PhaseStateException("the current phase '" + state.current()
          + "' is not in the new phases.order " + newOrder);
    }
    order = List.copyOf(newOrder);
  }

  /**
   * Enters {@code phase}. The state is on disk before anyone sees it, so a crash right after an
   * acknowledged change cannot lose it.
   *
   * @throws IllegalArgumentException when {@code phase} is not a configured phase
   * @throws IOException when the state cannot be saved; the phase is then unchanged
   */
  public synchronized PhaseState set(String phase, String actor) throws IOException {
    if (!order.contains(phase)) {
      throw new IllegalArgumentException("unknown phase '" + phase + "', the phases are "
          + String.join(", ", order));
    }
    PhaseState previous = state;
    if (previous.current().equals(phase)) {
      return previous;
    }
    PhaseState next = previous.enter(phase, clock.instant(), actor);
    store.save(next);
    state = next;
    journal.record("phase", phase, previous.current(), phase,
        "phase " + previous.current() + " -> " + phase + " (by " + actor + ")");
    return next;
  }
}

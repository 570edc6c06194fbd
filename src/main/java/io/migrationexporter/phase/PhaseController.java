package io.migrationexporter.phase;

import io.migrationexporter.config.PhaseSettings;
import io.migrationexporter.event.Journal;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Owns the current phase: changes it, persists it first, then tells the journal. The phase is
 * decided either by the configuration ({@code phases.current}: every replica reading the same file
 * agrees, a reload applies a change, {@link #set} is refused) or by {@link #set} (the API), kept
 * in the state file. The state file is written in both cases: with {@code phases.current} it
 * keeps when each phase was entered, so that a restart does not move those times.
 */
public final class PhaseController {
  private static final String CONFIGURATION_ACTOR = "configuration";

  private final PhaseStore store;
  private final Clock clock;
  private final Journal journal;
  private volatile View view;

  /** The state, the phases and who decides, changed together so a reader sees them agree. */
  public record View(PhaseState state, List<String> order, PhaseSource source) {
    public View {
      order = List.copyOf(order);
    }
  }

  private PhaseController(PhaseStore store, Clock clock, Journal journal, View view) {
    this.store = store;
    this.clock = clock;
    this.journal = journal;
    this.view = view;
  }

  /**
   * Restores the saved phase, or starts in {@code phases.initial} (and saves it) when none was
   * saved. With {@code phases.current}, starts in that phase; the saved times of entry are kept
   * when the saved phase is the same.
   */
  public static PhaseController open(PhaseStore store, Clock clock, Journal journal,
      PhaseSettings settings) throws PhaseStateException, IOException {
    PhaseState saved = store.load().orElse(null);
    List<String> order = settings.order();
    Optional<PhaseSettings.Current> configured = settings.current();
    PhaseSource source = source(store, settings);
    if (configured.isPresent()) {
      String phase = configured.get().phase();
      PhaseState state;
      if (saved == null) {
        state = PhaseState.initial(phase, clock.instant(), CONFIGURATION_ACTOR);
        store.save(state);
        journal.record("phase", phase, null, phase, "starting in phase " + phase
            + ", set by the configuration");
      } else if (saved.current().equals(phase)) {
        state = saved;
      } else {
        state = saved.enter(phase, clock.instant(), CONFIGURATION_ACTOR);
        store.save(state);
        journal.record("phase", phase, saved.current(), phase, "phase " + saved.current() + " -> "
            + phase + " (by the configuration, at start)");
      }
      return new PhaseController(store, clock, journal, new View(state, order, source));
    }
    if (saved == null) {
      saved = PhaseState.initial(settings.initial(), clock.instant(), "startup");
      store.save(saved);
      journal.record("phase", settings.initial(), null, settings.initial(),
          "starting in phase " + settings.initial());
    } else if (!order.contains(saved.current())) {
      throw new PhaseStateException("the phase state file " + store.file() + " says phase '"
          + saved.current() + "', which phases.order " + order + " does not list");
    }
    return new PhaseController(store, clock, journal, new View(saved, order, source));
  }

  private static PhaseSource source(PhaseStore store, PhaseSettings settings) {
    return settings.current()
        .map(current -> PhaseSource.configuration(current.file(), current.changedByReload()))
        .orElseGet(() -> PhaseSource.stateFile(store.file().toString()));
  }

  public java.nio.file.Path stateFile() {
    return store.file();
  }

  public View view() {
    return view;
  }

  public PhaseState state() {
    return view.state();
  }

  public List<String> order() {
    return view.order();
  }

  public PhaseSource source() {
    return view.source();
  }

  /**
   * Takes the phase settings of a reloaded configuration: the new phase list, and the phase
   * {@code phases.current} sets, entered like {@link #set} would (saved first, then journaled).
   * Without {@code phases.current}, the current phase stays and must be in the new list.
   *
   * @throws PhaseStateException the new list lacks the current phase: nothing changed
   * @throws IOException the new phase could not be saved: nothing changed
   */
  public synchronized void reconfigure(PhaseSettings settings)
      throws PhaseStateException, IOException {
    View previous = view;
    PhaseSource source = source(store, settings);
    Optional<PhaseSettings.Current> configured = settings.current();
    if (configured.isEmpty()) {
      if (!settings.order().contains(previous.state().current())) {
        throw new PhaseStateException("the current phase '" + previous.state().current()
            + "' is not in the new phases.order " + settings.order());
      }
      view = new View(previous.state(), settings.order(), source);
      return;
    }
    String phase = configured.get().phase();
    if (previous.state().current().equals(phase)) {
      view = new View(previous.state(), settings.order(), source);
      return;
    }
    PhaseState next = previous.state().enter(phase, clock.instant(), CONFIGURATION_ACTOR);
    store.save(next);
    view = new View(next, settings.order(), source);
    journal.record("phase", phase, previous.state().current(), phase,
        "phase " + previous.state().current() + " -> " + phase + " (by the configuration, "
            + configured.get().file() + ")");
  }

  /**
   * Enters {@code phase}. The state is on disk before anyone sees it, so a crash right after an
   * acknowledged change cannot lose it.
   *
   * @throws PhaseConfiguredException when the configuration sets the phase
   * @throws IllegalArgumentException when {@code phase} is not a configured phase
   * @throws IOException when the state cannot be saved; the phase is then unchanged
   */
  public synchronized PhaseState set(String phase, String actor) throws IOException {
    View previous = view;
    Optional<String> refusal = previous.source().refusal();
    if (refusal.isPresent()) {
      throw new PhaseConfiguredException(refusal.get());
    }
    if (!previous.order().contains(phase)) {
      throw new IllegalArgumentException("unknown phase '" + phase + "', the phases are "
          + String.join(", ", previous.order()));
    }
    if (previous.state().current().equals(phase)) {
      return previous.state();
    }
    PhaseState next = previous.state().enter(phase, clock.instant(), actor);
    store.save(next);
    view = new View(next, previous.order(), previous.source());
    journal.record("phase", phase, previous.state().current(), phase,
        "phase " + previous.state().current() + " -> " + phase + " (by " + actor + ")");
    return next;
  }
}

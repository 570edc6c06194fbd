package io.migrationexporter.migration;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * What the exporter remembers of its migrations across boards and restarts: when each entered its
 * state, and its last sign of life and step, saved in a {@link LivenessStore}.
 *
 * <p>A source that starts again knows nothing of the past (a PostgreSQL source sees no session, a
 * log source's window slid past the last heartbeat). Until it reports a newer sign of life, the
 * saved heartbeat and step stand in for what it forgot, so a migration silent since before the
 * restart stays silent, with its real age.
 */
public final class MigrationLiveness {
  private static final Logger LOG = Logger.getLogger(MigrationLiveness.class.getName());

  private record Entered(MigrationState state, Instant at) {}

  private final LivenessStore store;
  private final Executor saver;
  private final Map<String, LivenessStore.Saved> saved = new LinkedHashMap<>();
  private final Map<String, Entered> entered = new HashMap<>();
  private final AtomicBoolean saveQueued = new AtomicBoolean();
  private String lastSaveProblem = "";

  /**
   * @param saver runs the saves, away from the thread building a board (they flush to disk)
   */
  public MigrationLiveness(LivenessStore store, Executor saver) {
    this.store = store;
    this.saver = saver;
    try {
      saved.putAll(store.load());
    } catch (IOException e) {
      LOG.warning("cannot read the migration liveness file " + store.file() + " (" + e.getMessage()
          + "); migrations start without their last heartbeat, and the file will be replaced");
    }
  }

  /** The migrations with what was saved of them merged in and their state entry times. */
  public synchronized List<MigrationStatus> follow(List<MigrationStatus> evaluated, Instant at) {
    List<MigrationStatus> out = new ArrayList<>();
    boolean changed = false;
    for (MigrationStatus status : evaluated) {
      String name = status.migration().name();
      if (status.known()) {
        MigrationStatus merged = merge(status, saved.get(name));
        if (merged != status) {
          status = merged;
        } else {
          changed |= remember(status);
        }
      }
      MigrationState state = status.state(at);
      Entered previous = entered.get(name);
      if (previous == null || previous.state() != state) {
        Instant since = previous == null && state == MigrationState.SILENT
            ? status.silentAt().orElse(at) : at;
        previous = new Entered(state, since);
        entered.put(name, previous);
      }
      out.add(status.withStateEnteredAt(previous.at()));
    }
    if (changed && saveQueued.compareAndSet(false, true)) {
      saver.execute(this::save);
    }
    return out;
  }

  /**
   * The status with the saved heartbeat and step when the source has seen nothing newer since; the
   * same object when the source knows better.
   */
  private static MigrationStatus merge(MigrationStatus status, LivenessStore.Saved kept) {
    StepProgress p = status.progress().orElseThrow();
    if (kept == null || p.done() || p.interruption().isPresent()
        || p.heartbeatAt().map(at -> at.isAfter(kept.heartbeatAt())).orElse(false)) {
      return status;
    }
    int keptStep = stepIndex(status.migration(), kept.step());
    if (p.heartbeatAt().equals(Optional.of(kept.heartbeatAt())) && keptStep <= p.step()) {
      return status;
    }
    StepProgress restored = keptStep > p.step()
        ? new StepProgress(keptStep, false, kept.stepStartedAt(), OptionalDouble.empty(),
            Optional.empty(), Optional.of(kept.heartbeatAt()),
            "as last seen before the exporter restarted", p.waiting(), Optional.empty(),
            p.attempts())
        : p.withHeartbeat(kept.heartbeatAt());
    return status.withProgress(restored);
  }

  private static int stepIndex(MigrationDefinition migration, String step) {
    for (int i = 0; i < migration.steps().size(); i++) {
      if (migration.steps().get(i).name().equals(step)) {
        return i;
      }
    }
    return -1;
  }

  /** Keeps the source's newest heartbeat and step; true when that changed what is saved. */
  private boolean remember(MigrationStatus status) {
    StepProgress p = status.progress().orElseThrow();
    if (p.heartbeatAt().isEmpty() || p.step() < 0) {
      return false;
    }
    LivenessStore.Saved now = new LivenessStore.Saved(p.heartbeatAt().get(),
        status.migration().steps().get(p.step()).name(), p.stepStartedAt());
    return !now.equals(saved.put(status.migration().name(), now));
  }

  private void save() {
    saveQueued.set(false);
    Map<String, LivenessStore.Saved> copy;
    synchronized (this) {
      copy = new LinkedHashMap<>(saved);
    }
    String problem = "";
    try {
      store.save(copy);
    } catch (IOException e) {
      problem = "cannot save the migration liveness file " + store.file() + ": " + e.getMessage();
    }
    if (!problem.equals(lastSaveProblem)) {
      lastSaveProblem = problem;
      if (problem.isEmpty()) {
        LOG.info("the migration liveness file " + store.file() + " is saved again");
      } else {
        LOG.warning(problem);
      }
    }
  }
}

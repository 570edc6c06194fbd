package io.migrationexporter.demo;

import io.migrationexporter.app.Runtime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The simulated operations team: when the phase asks for the production closed, they put the apps
 * in maintenance one after the other; when it asks for it open, they bring them back. One of them
 * is forgetful and takes much longer, which is why the board and its gate matter.
 */
final class Team implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("io.migrationexporter.demo");

  /** Something the team switches: an app, a port. */
  record Switch(String name, java.util.function.BooleanSupplier closed, Consumer<Boolean> set,
      int slowness) {}

  private final Runtime runtime;
  private final List<Switch> switches;
  private final Duration reaction;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "demo-team");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<String, Long> dueAt = new java.util.HashMap<>();

  Team(Runtime runtime, List<Switch> switches, Duration reaction) {
    this.runtime = runtime;
    this.switches = List.copyOf(switches);
    this.reaction = reaction;
    timer.scheduleWithFixedDelay(this::act, 200, 200, TimeUnit.MILLISECONDS);
  }

  private void act() {
    String phase = runtime.phases().state().current();
    boolean wantClosed = runtime.plan().checks().stream()
        .anyMatch(check -> check.closedPhases().contains(phase));
    long now = System.nanoTime();
    for (int i = 0; i < switches.size(); i++) {
      Switch s = switches.get(i);
      if (s.closed().getAsBoolean() == wantClosed) {
        dueAt.remove(s.name());
        continue;
      }
      // one after the other, each taking the team's reaction time times its slowness
      long delay = reaction.toNanos() * (i + 1) * s.slowness();
      long due = dueAt.computeIfAbsent(s.name(), name -> now + delay);
      if (now >= due) {
        s.set().accept(wantClosed);
        dueAt.remove(s.name());
        LOG.info(() -> "demo team: " + s.name() + (wantClosed ? " put in maintenance" : " reopened"));
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

package io.migrationexporter.app;

import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.CheckState;
import io.migrationexporter.check.Evaluator;
import io.migrationexporter.check.GateDefinition;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.collect.Collector;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.config.Plan;
import io.migrationexporter.event.Journal;
import io.migrationexporter.migration.LivenessStore;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.MigrationLiveness;
import io.migrationexporter.migration.MigrationState;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.phase.PhaseController;
import io.migrationexporter.phase.PhaseState;
import io.migrationexporter.phase.PhaseStateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running exporter without its HTTP face: the active plan and its collector, the phase, the
 * journal, and the current {@link Board}. Reloads swap plan and collector at once; a configuration
 * that does not load leaves everything as it was.
 */
public final class Runtime implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Runtime.class.getName());
  private static final int BLOCKING_THREADS = 16;
  /**
   * How often the pacer looks for refreshes that are due: a source is read at most this late
   * after its interval. Looking costs nothing while no refresh is due or running (see settled).
   */
  private static final Duration PACE = Duration.ofMillis(100);

  private final Clock clock;
  private final ConfigLoader loader;
  private final PhaseController phases;
  private final Journal journal;
  private final MigrationLiveness liveness;
  private final ExecutorService blockingExecutor;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "board-evaluation");
    thread.setDaemon(true);
    return thread;
  });
  /** Starts each source's refreshes on its own schedule, whether or not anyone asks. */
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "source-pacer");
    thread.setDaemon(true);
    return thread;
  });
  private final Object boardLock = new Object();
  private final List<Reloadable> alsoReloaded = new CopyOnWriteArrayList<>();
  private volatile Active active;
  /** The last board built and what it was built from, read together. */
  private volatile Built built;
  private volatile Board.ConfigStatus configStatus;
  private volatile boolean ready;
  private volatile Consumer<Board> newBoardListener = board -> {};
  /** The newest board not yet handed to the listener; at most one hand-over is queued. */
  private final AtomicReference<Board> unannounced = new AtomicReference<>();

  /**
   * The plan in force and the collector reading its sources. Compared by identity: a board key
   * must not compare whole plans on every request.
   */
  private static final class Active {
    private final Plan plan;
    private final Collector collector;
    private final Map<String, SourceSchedule> schedules;

    Active(Plan plan, Collector collector, Map<String, SourceSchedule> schedules) {
      this.plan = plan;
      this.collector = collector;
      this.schedules = schedules;
    }

    Plan plan() {
      return plan;
    }

    Collector collector() {
      return collector;
    }

    Map<String, SourceSchedule> schedules() {
      return schedules;
    }
  }

  /** A board and what it was built from; a board is rebuilt when any of that changes. */
  private record Built(Board board, List<Object> key) {
    /** The board, if it still holds for {@code now} at {@code at}; else null. */
    Board reusable(List<Object> now, Instant at) {
      return key.equals(now) && at.isBefore(board.validUntil()) ? board : null;
    }
  }

  public Runtime(Plan plan, ConfigLoader loader, PhaseController phases, Journal journal,
      Clock clock) {
    this.clock = clock;
    this.loader = loader;
    this.phases = phases;
    this.journal = journal;
    this.liveness = new MigrationLiveness(LivenessStore.nextTo(phases.stateFile()),
        this::runOnTicker);
    this.blockingExecutor = blockingPool();
    this.active = activate(plan, null);
    this.configStatus = new Board.ConfigStatus(plan.file().toString(), true, clock.instant(), "");
  }

  private static ExecutorService blockingPool() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 30,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "source-refresh-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private Active activate(Plan plan, Collector previous) {
    Collector collector = Collector.successor(previous, plan.sources(), clock, blockingExecutor);
    Map<String, SourceSchedule> schedules = new HashMap<>();
    collector.sources().forEach(source -> schedules.put(source.id(), source.schedule()));
    return new Active(plan, collector, schedules);
  }

  /**
   * Starts the first collection (the exporter is ready when it has finished), the pacer that then
   * refreshes every source on its own schedule, and a once-a-second evaluation, so that the
   * journal and the log record changes when they happen, not at the next request. Sources are
   * read even when nobody scrapes: a request never has to wait for a refresh to start, and a
   * source that hangs never delays another's refresh nor, beyond the request budget, an answer.
   * Starting the refreshes of a thousand sources takes a while: it runs on the evaluation thread,
   * while the caller goes on (binding the server); a request arriving meanwhile waits for it and
   * shares the refreshes.
   */
  public CompletableFuture<Void> start() {
    CompletableFuture<Void> first = new CompletableFuture<>();
    ticker.execute(() -> {
      try {
        active.collector().refreshDue().whenComplete((ignored, error) -> {
          ready = true;
          current();
          first.complete(null);
        });
      } catch (RuntimeException e) {
        // A bug, not a source failing (sources record their own): never ready, and said so.
        LOG.log(Level.SEVERE, "the first collection could not start", e);
        first.completeExceptionally(e);
      }
    });
    ticker.scheduleWithFixedDelay(this::current, 1, 1, TimeUnit.SECONDS);
    pacer.scheduleWithFixedDelay(this::pace, PACE.toMillis(), PACE.toMillis(),
        TimeUnit.MILLISECONDS);
    return first;
  }

  private void pace() {
    try {
      active.collector().refreshDue();
    } catch (RuntimeException e) {
      // A bug, not a source failing (sources record their own): keep pacing the others.
      LOG.log(Level.SEVERE, "starting the refreshes that are due failed", e);
    }
  }

  public boolean ready() {
    return ready;
  }

  /**
   * Hands each new board to {@code listener} on the runtime's own evaluation thread, never on the
   * thread that built it (possibly a request's I/O thread): for work ahead of requests, such as
   * rendering the board. When boards come faster than the listener, it gets only the newest.
   */
  public void onNewBoard(Consumer<Board> listener) {
    newBoardListener = listener;
  }

  public Plan plan() {
    return active.plan();
  }

  public PhaseController phases() {
    return phases;
  }

  public Journal journal() {
    return journal;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * The current board when answering now needs neither a refresh nor a rebuild, else empty. Never
   * waits, not even for a lock: for a thread that must not block (an I/O thread of the server).
   */
  public Optional<Board> readyBoard() {
    Active now = active;
    if (!now.collector().settled()) {
      return Optional.empty();
    }
    Built last = built;
    return Optional.ofNullable(last == null ? null
        : last.reusable(boardKey(now, phases.view(), configStatus), clock.instant()));
  }

  /**
   * Refreshes what is due, waits for it until {@code deadline} at the latest, and returns the
   * board. A refresh still running at the deadline goes on; the board then shows the data held
   * before it, with its age (a source never read stays unknown).
   */
  public Board board(Instant deadline) {
    CompletableFuture<Void> refreshing = active.collector().refreshDue();
    long waitMillis = Duration.between(clock.instant(), deadline).toMillis();
    try {
      if (waitMillis > 0) {
        refreshing.get(waitMillis, TimeUnit.MILLISECONDS);
      }
    } catch (TimeoutException e) {
      // the deadline won: answer with the data held now
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // refreshes record their own failures in the source state
    }
    return current();
  }

  /** The board for the data held now, without starting any refresh. */
  public Board current() {
    Active now = active;
    PhaseController.View phase = phases.view();
    Instant at = clock.instant();
    Board.ConfigStatus config = configStatus;
    List<Object> key = boardKey(now, phase, config);
    Built last = built;
    Board reusable = last == null ? null : last.reusable(key, at);
    if (reusable != null) {
      return reusable;
    }
    synchronized (boardLock) {
      last = built;
      reusable = last == null ? null : last.reusable(key, at);
      if (reusable != null) {
        return reusable;
      }
      Board fresh = build(now, phase, config, at);
      if (last != null) {
        recordChanges(last.board(), fresh);
      }
      built = new Built(fresh, key);
      announce(fresh);
      return fresh;
    }
  }

  private List<Object> boardKey(Active now, PhaseController.View phase,
      Board.ConfigStatus config) {
    return List.of(now, now.collector().generation(), phase, config);
  }

  private void runOnTicker(Runnable task) {
    try {
      ticker.execute(task);
    } catch (RejectedExecutionException e) {
      // closing: what was saved last stays
    }
  }

  private void announce(Board built) {
    if (unannounced.getAndSet(built) != null) {
      return;
    }
    try {
      ticker.execute(() -> {
        try {
          newBoardListener.accept(unannounced.getAndSet(null));
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "work on a new board failed; requests will do it", e);
        }
      });
    } catch (RejectedExecutionException e) {
      // closing: no board needs work ahead any more
    }
  }

  private Board build(Active now, PhaseController.View phase, Board.ConfigStatus config,
      Instant at) {
    Map<String, SourceState> sources = now.collector().states();
    Map<String, List<CheckResult>> byPhase = new HashMap<>();
    String current = phase.state().current();
    List<CheckResult> checks = evaluate(now, current, sources, at);
    byPhase.put(current, checks);
    List<GateResult> gates = new ArrayList<>();
    for (GateDefinition gate : now.plan().gates()) {
      List<CheckResult> inPhase = byPhase.computeIfAbsent(gate.phase(),
          p -> evaluate(now, p, sources, at));
      gates.add(Evaluator.evaluate(gate, inPhase));
    }
    List<MigrationStatus> migrations = new ArrayList<>();
    for (MigrationDefinition migration : now.plan().migrations()) {
      MigrationStatus status = Evaluator.evaluate(migration, sources.get(migration.sourceId()),
          now.schedules().get(migration.sourceId()), at);
      migrations.add(migration.processSourceId().map(id -> Evaluator.withProcess(status,
          sources.get(id), now.schedules().get(id), at)).orElse(status));
    }
    migrations = liveness.follow(migrations, at);
    Instant validUntil = staleness(sources, now.schedules(), at);
    for (MigrationStatus migration : migrations) {
      // A running migration turns silent at a time of its own, without any new data.
      Optional<Instant> silentAt = migration.silentAt().filter(at::isBefore);
      if (silentAt.isPresent() && silentAt.get().isBefore(validUntil)) {
        validUntil = silentAt.get().plusMillis(1);
      }
    }
    return new Board(at, phase.state(), phase.order(), phase.source(), checks, gates, migrations,
        sources, now.schedules(), config, validUntil);
  }

  private static List<CheckResult> evaluate(Active now, String phase,
      Map<String, SourceState> sources, Instant at) {
    List<CheckResult> results = new ArrayList<>();
    for (CheckDefinition check : now.plan().checks()) {
      results.add(Evaluator.evaluate(check, phase, sources.get(check.sourceId()),
          now.schedules().get(check.sourceId()), at));
    }
    return results;
  }

  /** The next instant some source's data turns stale: the board must be re-evaluated then. */
  private static Instant staleness(Map<String, SourceState> sources,
      Map<String, SourceSchedule> schedules, Instant at) {
    Instant next = at.plus(Duration.ofMinutes(1));
    for (SourceState state : sources.values()) {
      if (state.lastSuccessAt().isPresent()) {
        Instant stale = state.lastSuccessAt().get().plus(schedules.get(state.sourceId()).staleAfter());
        if (stale.isAfter(at) && stale.isBefore(next)) {
          next = stale.plusMillis(1);
        }
      }
    }
    return next;
  }

  private void recordChanges(Board before, Board after) {
    Map<String, CheckResult> previous = new LinkedHashMap<>();
    before.checks().forEach(result -> previous.put(result.check().name(), result));
    for (CheckResult result : after.checks()) {
      CheckResult old = previous.get(result.check().name());
      CheckState from = old == null ? null : old.state();
      if (from != result.state()) {
        journal.record("check", result.check().name(), from == null ? null : from.label(),
            result.state().label(), result.check().name() + " is " + result.state().label()
                + (result.state() == CheckState.OK ? ": " + result.value() : ": " + result.reason()));
      }
    }
    Map<String, MigrationStatus> migrationsBefore = new HashMap<>();
    before.migrations().forEach(m -> migrationsBefore.put(m.migration().name(), m));
    for (MigrationStatus migration : after.migrations()) {
      MigrationStatus old = migrationsBefore.get(migration.migration().name());
      String from = old == null ? null : stepWords(old);
      String to = stepWords(migration);
      if (!to.equals(from) && migration.known()) {
        journal.record("step", migration.migration().name(), from, to,
            migration.migration().name() + ": " + to,
            migration.progress().flatMap(StepProgress::stepVolume));
      }
      MigrationState was = old == null ? null : old.state(before.at());
      MigrationState is = migration.state(after.at());
      if (was != is) {
        journal.record("migration", migration.migration().name(),
            was == null ? null : was.label(), is.label(), migration.migration().name() + " is "
                + migration.stateWords(after.at()) + " (" + migration.timeWords(after.at()) + ")");
      }
    }
    Map<String, GateResult> gatesBefore = new HashMap<>();
    before.gates().forEach(gate -> gatesBefore.put(gate.gate().name(), gate));
    for (GateResult gate : after.gates()) {
      GateResult old = gatesBefore.get(gate.gate().name());
      if (old == null || old.open() != gate.open()) {
        journal.record("gate", gate.gate().name(), old == null ? null : openWord(old.open()),
            openWord(gate.open()), "gate " + gate.gate().name() + " is " + openWord(gate.open())
                + (gate.open() ? "" : " (" + gate.blocking().size() + " of " + gate.selected()
                    + " checks not ok)"));
      }
    }
  }

  private static String stepWords(MigrationStatus migration) {
    if (!migration.known()) {
      return "unknown";
    }
    if (migration.done()) {
      return "done";
    }
    return migration.currentStep()
        .map(step -> "step " + migration.stepNumber() + " of " + migration.migration().steps().size()
            + ": " + step.title())
        .orElse("not started");
  }

  private static String openWord(boolean open) {
    return open ? "open" : "closed";
  }

  /**
   * Enters {@code phase} and re-evaluates at once, so the journal records which checks the new
   * phase turns failing or ok.
   */
  public PhaseState enterPhase(String phase, String actor) throws java.io.IOException {
    PhaseState state = phases.set(phase, actor);
    current();
    return state;
  }

  /** Has {@code part} read again, all or nothing, on every reload of the configuration. */
  public void alsoReload(Reloadable part) {
    alsoReloaded.add(part);
  }

  /**
   * Loads the configuration file again, with what is reloaded along with it (the web
   * configuration file). On success the new plan takes over at once, keeping the data of unchanged
   * sources, and the phase {@code phases.current} sets is entered; on failure nothing changes and
   * the problems are returned.
   */
  public synchronized List<String> reload() {
    Active old = active;
    Plan plan;
    List<Runnable> applySteps = new ArrayList<>();
    try {
      plan = loader.load(old.plan().file());
      for (Reloadable part : alsoReloaded) {
        applySteps.add(part.prepare(plan));
      }
      // last, because it saves the new phase: nothing may be refused after it
      phases.reconfigure(plan.phases());
    } catch (ConfigException e) {
      return refused(old, e.problems().stream().map(Object::toString).toList());
    } catch (PhaseStateException e) {
      return refused(old, List.of(e.getMessage()));
    } catch (java.io.IOException e) {
      return refused(old, List.of("cannot save the phase state file "
          + phases.stateFile() + " (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + "); the phase is unchanged"));
    }
    if (!plan.server().host().equals(old.plan().server().host())
        || plan.server().port() != old.plan().server().port()) {
      LOG.warning("server.listen changed in " + plan.file()
          + "; it takes effect at the next restart");
    }
    applySteps.forEach(Runnable::run);
    Active next = activate(plan, old.collector());
    active = next;
    for (Source gone : next.collector().dropped(old.collector())) {
      gone.close();
    }
    configStatus = new Board.ConfigStatus(plan.file().toString(), true, clock.instant(), "");
    journal.record(Journal.CONFIG, plan.file().getFileName().toString(), null, "loaded",
        "configuration reloaded: " + plan.checks().size() + " checks, " + plan.sources().size()
            + " sources");
    // at once, so the journal records which checks a phase set by the configuration turns
    current();
    return List.of();
  }

  private List<String> refused(Active old, List<String> problems) {
    Board.ConfigStatus previous = configStatus;
    configStatus = new Board.ConfigStatus(previous.file(), false, previous.lastSuccessAt(),
        String.join("\n", problems));
    journal.record(Journal.CONFIG, old.plan().file().getFileName().toString(), null, "refused",
        "configuration reload refused, the previous one stays in force: "
            + String.join("; ", problems));
    return problems;
  }

  @Override
  public void close() {
    pacer.shutdownNow();
    ticker.shutdownNow();
    active.collector().sources().forEach(Source::close);
    blockingExecutor.shutdownNow();
  }
}

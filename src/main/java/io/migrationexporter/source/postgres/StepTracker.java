package io.migrationexporter.source.postgres;

import io.migrationexporter.migration.Interruption;
import io.migrationexporter.migration.StepAttempt;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.migration.Waiting;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Follows one migration from what PostgreSQL runs, across refreshes, attempt by attempt.
 *
 * <p>A step is recognised when a migration session's statement matches the step's regex (the
 * session may be running it, or idle after it: {@code pg_stat_activity} keeps the last
 * statement, so an instant step is seen too) or when the progress query names it. A later step
 * starts an attempt whenever it is seen; the current step or an earlier one starts a new attempt
 * when a statement matching it started after the current attempt did (a rerun), and is followed
 * from zero again. The attempt's start is the matching session's {@code query_start}.
 *
 * <p>An attempt ends once the session that ran it has ended that statement's transaction: it is
 * idle outside a transaction, runs a later transaction, or has disconnected. It finished only if
 * its effect holds: the step's {@code done-when} query, else for {@code ALTER TABLE ... TYPE} the
 * columns' types in the catalog ({@link ColumnTypeCheck}), else no transaction of the database
 * rolled back since it started. Otherwise it was interrupted: its session ended, the server
 * restarted ({@code pg_postmaster_start_time} changed), its transaction aborted, or its statement
 * ended without its effect. An interrupted step is never counted as finished. The migration is
 * done when its last step has finished, or the progress query says so; when a done query is
 * configured, it alone decides.
 */
final class StepTracker {
  /** Attempts kept for {@code /api/status}: enough for every rerun of a night. */
  private static final int MAX_ATTEMPTS = 50;

  /** What a progress query returned: a step name, whether it finished, when it started. */
  record ProgressRow(String step, boolean finished, Optional<Instant> startedAt) {}

  /**
   * What one refresh saw, for the tracker.
   *
   * @param postmasterStart {@code pg_postmaster_start_time()}, null when not read
   * @param rollbacks {@code xact_rollback} of the database
   */
  record Observed(Instant at, List<Backend> backends, MigrationSessions sessions,
      Optional<ProgressRow> progress, Optional<Boolean> doneQuery, Instant postmasterStart,
      long rollbacks) {
    Observed(Instant at, List<Backend> backends, MigrationSessions sessions,
        Optional<ProgressRow> progress, Optional<Boolean> doneQuery) {
      this(at, backends, sessions, progress, doneQuery, null, 0);
    }
  }

  /** Opens a rewrite estimate for step {@code step} started with {@code statement}, if it is one. */
  @FunctionalInterface
  interface EstimatorFactory {
    Optional<RewriteEstimator> open(int step, String statement, Instant queryStart)
        throws SQLException;
  }

  /** Whether step {@code step}, run as {@code statement}, took effect; empty when unknowable. */
  @FunctionalInterface
  interface EffectCheck {
    Optional<Boolean> holds(int step, String statement) throws SQLException;
  }

  private final MigrationWatch watch;
  private final List<Optional<Pattern>> patterns;
  private int current = -1;
  private Instant startedAt;
  private Backend.Key holder;
  private Instant holderQueryStart;
  private String holderStatement = "";
  private boolean currentFinished;
  private boolean done;
  private Instant heartbeat;
  private RewriteEstimator estimator;
  private String estimateNote = "";
  private RewriteEstimator.Estimate lastEstimate;
  private Interruption interruption;
  private Instant waitingSince;
  private Instant postmasterStart;
  private long rollbacksAtStart;
  /** The WAL position at the refresh under way, for the measure of a step that ends in it. */
  private long wal;
  private final List<StepAttempt> attempts = new ArrayList<>();

  StepTracker(MigrationWatch watch) {
    this.watch = watch;
    List<Optional<Pattern>> compiled = new ArrayList<>();
    watch.stepRegexes().forEach(regex -> compiled.add(regex.map(text ->
        Pattern.compile(text, Pattern.CASE_INSENSITIVE | Pattern.DOTALL))));
    this.patterns = List.copyOf(compiled);
  }

  MigrationWatch watch() {
    return watch;
  }

  /** Index of the step followed now, -1 before the first. */
  int currentStep() {
    return current;
  }

  /** The rewrite estimate of the current step at the last refresh, if it has one. */
  Optional<RewriteEstimator.Estimate> lastEstimate() {
    return Optional.ofNullable(lastEstimate);
  }

  StepProgress observe(Observed seen, long wal, EstimatorFactory estimators) throws SQLException {
    return observe(seen, wal, estimators, (step, statement) -> Optional.empty());
  }

  /**
   * Updates the tracker with one refresh and says where the migration is.
   *
   * @param wal the WAL position at this refresh, for the rewrite estimate
   */
  StepProgress observe(Observed seen, long wal, EstimatorFactory estimators, EffectCheck effects)
      throws SQLException {
    this.wal = wal;
    boolean restarted = seen.postmasterStart() != null && postmasterStart != null
        && !seen.postmasterStart().equals(postmasterStart);
    if (seen.postmasterStart() != null) {
      postmasterStart = seen.postmasterStart();
    }
    // The attempt under way may have ended before another one started.
    if (attemptRunning() && holder != null) {
      endIfOver(seen, holderSession(seen.backends()), restarted, effects);
    }
    boolean recognised = recogniseFromStatements(seen, estimators);
    if (seen.progress().isPresent()) {
      recognised |= recogniseFromProgressQuery(seen.progress().get(), seen);
    }
    Backend session = holderSession(seen.backends());
    // An attempt first seen after its statement (an instant step) may be over already.
    if (recognised && attemptRunning() && holder != null) {
      endIfOver(seen, session, false, effects);
    }
    Optional<Waiting> waiting = waiting(seen, session, recognised);
    // A sign of life: the step's session, or any of the migration's sessions, is running.
    boolean migrationActive = seen.sessions().configured() && seen.backends().stream()
        .anyMatch(b -> candidate(b, seen.sessions()) && b.active());
    if (session != null && session.active() || migrationActive) {
      heartbeat = seen.at();
    }
    int last = watch.stepNames().size() - 1;
    if (current == last && currentFinished) {
      done = true;
    }
    boolean reportedDone = seen.doneQuery().orElse(done);
    lastEstimate = null;
    OptionalDouble ratio = OptionalDouble.empty();
    Optional<Instant> eta = Optional.empty();
    String detail = estimateNote;
    if (reportedDone) {
      detail = "";
    } else if (interruption != null) {
      detail = "interrupted: " + interruption.reason();
    } else if (currentFinished) {
      ratio = OptionalDouble.of(1);
      detail = current == last ? "finished, the done query does not confirm it yet"
          : "finished, waiting for the next step";
    } else if (estimator != null) {
      int workers = (int) seen.backends().stream()
          .filter(b -> b.parallelWorker() && session != null && b.leaderPid() == session.pid())
          .count();
      lastEstimate = estimator.update(wal, seen.at(), session, workers);
      ratio = OptionalDouble.of(lastEstimate.ratio());
      eta = lastEstimate.eta();
      detail = lastEstimate.detail();
    }
    return new StepProgress(current, reportedDone, Optional.ofNullable(startedAt), ratio, eta,
        Optional.ofNullable(heartbeat), detail, reportedDone ? Optional.empty() : waiting,
        reportedDone ? Optional.empty() : Optional.ofNullable(interruption), attempts,
        estimator == null ? Optional.empty() : estimator.volume());
  }

  private boolean attemptRunning() {
    return current >= 0 && !currentFinished && interruption == null;
  }

  /** Ends the running attempt when its statement's transaction is over, finished or not. */
  private void endIfOver(Observed seen, Backend session, boolean restarted, EffectCheck effects)
      throws SQLException {
    String reason;
    if (restarted) {
      reason = "the server restarted during the step";
    } else if (session == null) {
      reason = "its session ended during the step";
    } else if ("idle in transaction (aborted)".equals(session.state())) {
      interrupt("its transaction was aborted (the statement failed or was cancelled)", seen.at());
      return;
    } else if (transactionEnded(session)) {
      reason = "the statement ended without its effect (failed or cancelled)";
    } else {
      return;
    }
    Optional<Boolean> effect = effects.holds(current, holderStatement);
    boolean finished = effect.orElseGet(() -> !restarted && seen.postmasterStart() != null
        ? seen.rollbacks() <= rollbacksAtStart : !restarted);
    if (finished) {
      currentFinished = true;
      endAttempt(seen.at(), StepAttempt.FINISHED);
    } else {
      interrupt(effect.isEmpty() && !restarted && session != null
          ? "the statement failed or was cancelled (a transaction of the database rolled back)"
          : reason, seen.at());
    }
  }

  private void interrupt(String reason, Instant at) {
    interruption = new Interruption(reason, current, at);
    estimator = null;
    waitingSince = null;
    endAttempt(at, StepAttempt.INTERRUPTED);
  }

  /** Ends the last attempt; a finished rewrite keeps what its estimator measured of it. */
  private void endAttempt(Instant at, String outcome) {
    int last = attempts.size() - 1;
    if (last >= 0 && attempts.get(last).ended().isEmpty()) {
      attempts.set(last, attempts.get(last).ended(at, outcome,
          StepAttempt.FINISHED.equals(outcome) && estimator != null
              ? Optional.of(estimator.measure(wal, at)) : Optional.empty()));
    }
  }

  private void startAttempt(int step, Instant start, Observed seen) {
    // A later step that starts means the previous attempt finished; the same or an earlier step
    // starting again means it did not.
    endAttempt(seen.at(), step > current ? StepAttempt.FINISHED : StepAttempt.INTERRUPTED);
    current = step;
    startedAt = start;
    currentFinished = false;
    interruption = null;
    waitingSince = null;
    rollbacksAtStart = seen.rollbacks();
    attempts.add(new StepAttempt(step, start, Optional.empty(), StepAttempt.RUNNING));
    if (attempts.size() > MAX_ATTEMPTS) {
      attempts.remove(0);
    }
  }

  private Optional<Waiting> waiting(Observed seen, Backend session, boolean recognised) {
    if (!attemptRunning() || session == null || !session.waitingOnLock()
        || session.blockers().isEmpty()) {
      waitingSince = null;
      return Optional.empty();
    }
    if (waitingSince == null) {
      // Seen waiting at its first look: it has waited since its statement started.
      waitingSince = recognised && session.queryStart() != null ? session.queryStart() : seen.at();
    }
    int blockerPid = session.blockers().get(0);
    Optional<Backend> blocker = seen.backends().stream().filter(b -> b.pid() == blockerPid)
        .findFirst();
    return Optional.of(new Waiting(blocker.map(Backend::user).orElse("pid " + blockerPid),
        blocker.map(Backend::applicationName).orElse("a session of another database"),
        waitingSince));
  }

  private boolean recogniseFromStatements(Observed seen, EstimatorFactory estimators)
      throws SQLException {
    Backend best = null;
    int bestStep = -1;
    List<Backend> candidates = seen.backends().stream()
        .filter(b -> candidate(b, seen.sessions()))
        .sorted(Comparator.comparing(Backend::active).reversed())
        .toList();
    for (Backend backend : candidates) {
      int step = highestMatch(backend.query());
      if (step >= 0 && (step > current || rerun(backend)) && step > bestStep) {
        best = backend;
        bestStep = step;
      }
    }
    if (best == null) {
      return false;
    }
    // The estimate opens first: if reading the table's size fails, the step is recognised again
    // at the next refresh, with its estimate.
    RewriteEstimator opened = null;
    String note = "";
    if (best.queryStart() != null && best.active()) {
      try {
        opened = estimators.open(bestStep, best.query(), best.queryStart()).orElse(null);
      } catch (NoEstimate reason) {
        note = reason.getMessage();
      }
    }
    startAttempt(bestStep, best.queryStart(), seen);
    holder = best.key();
    holderQueryStart = best.queryStart();
    holderStatement = best.query();
    estimator = opened;
    estimateNote = note;
    return true;
  }

  /** A statement of the current step or an earlier one that started after the current attempt. */
  private boolean rerun(Backend backend) {
    return current >= 0 && backend.queryStart() != null && startedAt != null
        && backend.queryStart().isAfter(startedAt)
        && !(backend.key().equals(holder) && backend.queryStart().equals(holderQueryStart));
  }

  private boolean recogniseFromProgressQuery(ProgressRow row, Observed seen) {
    int step = watch.stepNames().indexOf(row.step());
    if (step < 0) {
      return false;
    }
    boolean again = step <= current && row.startedAt().isPresent() && startedAt != null
        && row.startedAt().get().isAfter(startedAt);
    boolean started = step > current || again;
    if (started) {
      startAttempt(step, row.startedAt().orElse(seen.at()), seen);
      holder = null;
      holderQueryStart = null;
      holderStatement = "";
      estimator = null;
      estimateNote = "";
    }
    if (step == current && row.finished() && attemptRunning()) {
      currentFinished = true;
      endAttempt(seen.at(), StepAttempt.FINISHED);
    }
    return started;
  }

  private static boolean candidate(Backend backend, MigrationSessions sessions) {
    return !backend.parallelWorker() && (!sessions.configured() || sessions.matches(backend));
  }

  private int highestMatch(String query) {
    if (query.isEmpty()) {
      return -1;
    }
    for (int step = patterns.size() - 1; step >= 0; step--) {
      Optional<Pattern> pattern = patterns.get(step);
      if (pattern.isPresent() && pattern.get().matcher(query).find()) {
        return step;
      }
    }
    return -1;
  }

  private Backend holderSession(List<Backend> backends) {
    if (holder == null) {
      return null;
    }
    return backends.stream().filter(b -> b.key().equals(holder)).findFirst().orElse(null);
  }

  /** True when the step's statement is over and its transaction committed or ended. */
  private boolean transactionEnded(Backend session) {
    if (session.active() && Objects.equals(session.queryStart(), holderQueryStart)) {
      return false; // still running the step
    }
    return session.xactStart() == null
        || holderQueryStart != null && session.xactStart().isAfter(holderQueryStart);
  }

  /** Why a step that rewrites a table gets no estimate; the message is shown as the detail. */
  static final class NoEstimate extends RuntimeException {
    NoEstimate(String message) {
      super(message, null, false, false);
    }
  }
}

package io.migrationexporter.source.postgres;

import io.migrationexporter.migration.StepProgress;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Follows one migration from what PostgreSQL runs, across refreshes.
 *
 * <p>A step is recognised when a migration session's statement matches the step's regex (the
 * session may be running it, or idle after it: {@code pg_stat_activity} keeps the last
 * statement, so an instant step is seen too) or when the progress query names it. Steps only move
 * forward: the highest step recognised is the current one, and every step before it counts as
 * finished. The current step's start is the matching session's {@code query_start}.
 *
 * <p>The current step has finished once the session that ran it has ended that statement's
 * transaction: it is idle outside a transaction, runs a later transaction, or has disconnected.
 * A session idle in the step's transaction has not committed yet. The migration is done when its
 * last step has finished that way, or the progress query says the last step finished; when a
 * done query is configured, it alone decides (a failed statement and a successful one look the
 * same from {@code pg_stat_activity}, and only a query on the result tells them apart).
 */
final class StepTracker {
  /** What a progress query returned: a step name, whether it finished, when it started. */
  record ProgressRow(String step, boolean finished, Optional<Instant> startedAt) {}

  /** What one refresh saw, for the tracker. */
  record Observed(Instant at, List<Backend> backends, MigrationSessions sessions,
      Optional<ProgressRow> progress, Optional<Boolean> doneQuery) {}

  /** Opens a rewrite estimate for a step that starts with {@code statement}, if it is one. */
  @FunctionalInterface
  interface EstimatorFactory {
    Optional<RewriteEstimator> open(String statement, Instant queryStart) throws SQLException;
  }

  private final MigrationWatch watch;
  private final List<Optional<Pattern>> patterns;
  private int current = -1;
  private Instant startedAt;
  private Backend.Key holder;
  private Instant holderQueryStart;
  private boolean currentFinished;
  private boolean done;
  private Instant heartbeat;
  private RewriteEstimator estimator;
  private String estimateNote = "";
  private RewriteEstimator.Estimate lastEstimate;

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

  /** The rewrite estimate of the current step at the last refresh, if it has one. */
  Optional<RewriteEstimator.Estimate> lastEstimate() {
    return Optional.ofNullable(lastEstimate);
  }

  /**
   * Updates the tracker with one refresh and says where the migration is.
   *
   * @param wal the WAL position at this refresh, for the rewrite estimate
   */
  StepProgress observe(Observed seen, long wal, EstimatorFactory estimators)
      throws SQLException {
    recogniseFromStatements(seen, estimators);
    seen.progress().ifPresent(row -> recogniseFromProgressQuery(row, seen.at()));
    Backend session = holderSession(seen.backends());
    if (holder != null && !currentFinished && transactionEnded(session)) {
      currentFinished = true;
    }
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
        Optional.ofNullable(heartbeat), detail);
  }

  private void recogniseFromStatements(Observed seen, EstimatorFactory estimators)
      throws SQLException {
    Backend best = null;
    int bestStep = -1;
    List<Backend> candidates = seen.backends().stream()
        .filter(b -> candidate(b, seen.sessions()))
        .sorted(Comparator.comparing(Backend::active).reversed())
        .toList();
    for (Backend backend : candidates) {
      int step = highestMatch(backend.query());
      if (step > bestStep) {
        best = backend;
        bestStep = step;
      }
    }
    if (best == null || bestStep <= current) {
      return;
    }
    // The estimate opens first: if reading the table's size fails, the step is recognised again
    // at the next refresh, with its estimate.
    RewriteEstimator opened = null;
    String note = "";
    if (best.queryStart() != null) {
      try {
        opened = estimators.open(best.query(), best.queryStart()).orElse(null);
      } catch (NoEstimate reason) {
        note = reason.getMessage();
      }
    }
    current = bestStep;
    startedAt = best.queryStart();
    holder = best.key();
    holderQueryStart = best.queryStart();
    currentFinished = false;
    estimator = opened;
    estimateNote = note;
  }

  private void recogniseFromProgressQuery(ProgressRow row, Instant at) {
    int step = watch.stepNames().indexOf(row.step());
    if (step < 0) {
      return;
    }
    if (step > current) {
      current = step;
      startedAt = row.startedAt().orElse(at);
      holder = null;
      holderQueryStart = null;
      currentFinished = false;
      estimator = null;
      estimateNote = "";
    }
    if (step == current && row.finished()) {
      currentFinished = true;
    }
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
    if (session == null) {
      return true; // disconnected
    }
    if (session.active() && session.queryStart() != null
        && session.queryStart().equals(holderQueryStart)) {
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

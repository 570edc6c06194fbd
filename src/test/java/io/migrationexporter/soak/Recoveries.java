package io.migrationexporter.soak;

import io.migrationexporter.app.Board;
import io.migrationexporter.app.Runtime;
import io.migrationexporter.check.CheckResult;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Watches sources through a fault, from the exporter's own state (what the collector holds, as
 * /metrics would show it): that the fault is seen, and that the source comes back in time once the
 * fault clears. Times are the collector's own timestamps, so how often this polls does not matter.
 *
 * <p>A source recovers in time when its first good refresh after the fault cleared started no
 * later than one interval after the clearing (or after the retry time the API asked for, when it
 * rate-limited), give or take {@link #SCHEDULING_SLACK}, and ended after its own refresh time:
 * recovered at most {@code max(cleared + interval, retryNotBefore) + refresh time + slack}, plus
 * the time the whole JVM stood still meanwhile ({@link Stalls}).
 */
final class Recoveries implements AutoCloseable {
  /** Starting a due refresh on a loaded 2-core machine: the next scrape, a free thread. */
  static final Duration SCHEDULING_SLACK = Duration.ofMillis(500);
  private static final Duration POLL = Duration.ofMillis(50);
  /** Beyond its bound plus this, a source is reported as not recovered and the wait ends. */
  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

  /** One recovery: how long after the fault cleared the source was good again, and its bound. */
  record Recovery(String source, String fault, Duration latency, Duration bound) {
    boolean inTime() {
      return latency.compareTo(bound) <= 0;
    }
  }

  private final Runtime runtime;
  private final Findings findings;
  private final Stalls stalls;
  private final List<Recovery> recoveries = new ArrayList<>();
  /**
   * A thread for each watch, so that it looks from the moment the fault clears: queued behind
   * others (there are up to five SaaS sources and a flapping app at once), a watch started up to
   * 0.9 s late and first looked after the source's second good refresh, which it measured as the
   * recovery. The watches are few: each fault cycle waits for its own before the next fault.
   */
  private final ExecutorService watchers = Executors.newCachedThreadPool(
      Daemons.named("soak-recovery-watch"));

  Recoveries(Runtime runtime, Findings findings, Stalls stalls) {
    this.runtime = runtime;
    this.findings = findings;
    this.stalls = stalls;
  }

  /** Whether the source's state is good again, on the board that holds it. */
  interface Health {
    boolean good(SourceState state, Board board);

    /**
     * The source's last refresh succeeded and every check on it sees its target closed or open
     * (after a fault that made the API say "not found", the checks saw neither).
     */
    Health SEEN = (state, board) -> state.up() && checksOn(board, state.sourceId())
        .allMatch(result -> Boolean.TRUE.equals(result.observedClosed())
            || Boolean.TRUE.equals(result.observedOpen()));
  }

  private static Stream<CheckResult> checksOn(Board board, String source) {
    return board.checks().stream().filter(result -> result.check().sourceId().equals(source));
  }

  /**
   * Waits until the source has failed a refresh that started at or after {@code since}: the
   * fault took it down. Reported as a finding when that takes longer than {@code within}.
   */
  void awaitDown(String source, String fault, Instant since, Duration within) {
    Instant giveUp = since.plus(within).plus(SCHEDULING_SLACK);
    awaitState(source, giveUp, state -> state.lastAttemptFailed()
        && state.lastAttemptStartedAt().map(at -> !at.isBefore(since)).orElse(false))
        .ifPresentOrElse(state -> { }, () -> findings.add("fault-without-effect",
            fault + " did not take " + source + " down within " + within.toMillis() + " ms ("
                + seen(source, since) + ")"));
  }

  /** What the exporter held of a source when a wait gave up, for whoever debugs it. */
  private String seen(String source, Instant since) {
    return state(source).map(state -> state.refreshes() + " refreshes, the last started "
        + state.lastAttemptStartedAt().map(at -> Duration.between(since, at).toMillis() + " ms")
            .orElse("never") + " after the fault, the last finished "
        + (state.lastAttemptFailed() ? "failed: " + state.lastError().orElse("") : "succeeded")
        + state.retryNotBefore().map(at -> ", retry not before "
            + Duration.between(since, at).toMillis() + " ms").orElse(""))
        .orElse("not configured");
  }

  /**
   * Waits until the source has read, in a refresh that started at or after {@code since}, that
   * its target is absent: it is up, and every check on it sees neither state.
   */
  void awaitAbsent(String source, String fault, Instant since, Duration within) {
    Instant giveUp = since.plus(within).plus(SCHEDULING_SLACK);
    boolean seen = false;
    while (!seen && !Instant.now().isAfter(giveUp)) {
      Board board = runtime.current();
      SourceState state = board.sources().get(source);
      seen = state != null && state.up()
          && state.lastAttemptStartedAt().map(at -> !at.isBefore(since)).orElse(false)
          && checksOn(board, source).allMatch(result ->
              Boolean.FALSE.equals(result.observedClosed())
              && Boolean.FALSE.equals(result.observedOpen()));
      if (!seen) {
        pause();
      }
    }
    if (!seen) {
      findings.add("fault-without-effect", fault + " did not show " + source + "'s target absent"
          + " within " + within.toMillis() + " ms (" + seen(source, since) + ")");
    }
  }

  /** Failed refreshes of the source so far, of any kind. */
  long failures(String source) {
    return state(source).map(state -> state.failures().values().stream()
        .mapToLong(Long::longValue).sum()).orElse(0L);
  }

  /** Records a finding when the source failed a refresh since it had {@code before} failures. */
  void expectNoNewFailure(String source, String fault, long before) {
    long now = failures(source);
    if (now > before) {
      findings.add("fault-harmed", fault + " failed " + (now - before) + " refresh(es) of " + source
          + ": " + state(source).flatMap(SourceState::lastError).orElse("(recovered since)"));
    }
  }

  /**
   * Waits until {@code source} has completed {@code attempts} more refreshes than it had at the
   * call, so a fault is met by several refreshes and not only the first.
   */
  void awaitAttempts(String source, int attempts, Duration within) {
    long before = state(source).map(SourceState::refreshes).orElse(0L);
    if (awaitState(source, Instant.now().plus(within),
        state -> state.refreshes() >= before + attempts).isEmpty()) {
      findings.add("no-refresh", source + " did not refresh " + attempts + " time(s) within "
          + within.toMillis() + " ms while scraped");
    }
  }

  /** Waits for the recovery after a fault cleared at {@code cleared} and records it. */
  void awaitRecovery(String source, String fault, Instant cleared, Health health) {
    long clearedNanos = System.nanoTime() - Duration.between(cleared, Instant.now()).toNanos();
    Instant retry = cleared;
    Instant giveUp = null;
    while (true) {
      Board board = runtime.current();
      SourceState state = board.sources().get(source);
      SourceSchedule schedule = board.schedules().get(source);
      if (state == null) {
        findings.add("recovery", source + " is gone from the configuration");
        return;
      }
      if (giveUp == null) {
        giveUp = cleared.plus(schedule.minInterval()).plus(schedule.refreshTimeout())
            .plus(GIVE_UP_AFTER);
      }
      if (state.retryNotBefore().isPresent() && state.retryNotBefore().get().isAfter(retry)) {
        retry = state.retryNotBefore().get();
      }
      Optional<Instant> success = state.lastSuccessAt();
      if (success.isPresent() && success.get().isAfter(cleared) && health.good(state, board)) {
        Instant due = cleared.plus(schedule.minInterval());
        if (retry.isAfter(due)) {
          due = retry;
        }
        Duration bound = Duration.between(cleared, due)
            .plus(state.lastDuration().orElse(Duration.ZERO)).plus(SCHEDULING_SLACK)
            .plusNanos(stalls.stalledNanos(clearedNanos, System.nanoTime()));
        Recovery recovery = new Recovery(source, fault, Duration.between(cleared, success.get()),
            bound);
        synchronized (recoveries) {
          recoveries.add(recovery);
        }
        if (!recovery.inTime()) {
          findings.add("slow-recovery", source + " after " + fault + ": good again after "
              + recovery.latency().toMillis() + " ms, bound " + bound.toMillis() + " ms");
        }
        return;
      }
      if (Instant.now().isAfter(giveUp)) {
        findings.add("no-recovery", source + " not good again " + Duration.between(cleared,
            giveUp).toSeconds() + " s after " + fault + " cleared: " + state.lastError().orElse(
            "its data did not show the expected state"));
        return;
      }
      pause();
    }
  }

  /** The same, in the background: for workers that must go on meanwhile. */
  CompletableFuture<Void> watchRecovery(String source, String fault, Instant cleared,
      Health health) {
    return CompletableFuture.runAsync(() -> awaitRecovery(source, fault, cleared, health),
        watchers);
  }

  Optional<SourceState> state(String source) {
    return Optional.ofNullable(runtime.current().sources().get(source));
  }

  private Optional<SourceState> awaitState(String source, Instant giveUp,
      Predicate<SourceState> condition) {
    while (true) {
      Optional<SourceState> state = state(source);
      if (state.isPresent() && condition.test(state.get())) {
        return state;
      }
      if (Instant.now().isAfter(giveUp)) {
        return Optional.empty();
      }
      pause();
    }
  }

  private static void pause() {
    try {
      // polling the exporter's state: the collector's timestamps, not this pace, give the figures
      TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while watching a source", e);
    }
  }

  List<Recovery> all() {
    synchronized (recoveries) {
      return List.copyOf(recoveries);
    }
  }

  @Override
  public void close() {
    watchers.shutdownNow();
  }
}

package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.migration.StepAttempt;
import io.migrationexporter.migration.StepProgress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How steps are recognised and when a step, and the migration, count as finished. */
class StepTrackerTest {
  private static final Instant T0 = Instant.parse("2022-07-23T22:00:00Z");
  private static final MigrationSessions SESSIONS =
      new MigrationSessions(List.of("pix-migration"), List.of());
  private static final MigrationWatch WATCH = new MigrationWatch("bigint",
      List.of("ke", "answers", "sequence"),
      List.of(Optional.of("ALTER TABLE \"knowledge-elements\""), Optional.of("ALTER TABLE answers"),
          Optional.of("ALTER SEQUENCE")),
      Optional.empty(), Optional.empty());

  private final StepTracker tracker = new StepTracker(WATCH);

  private static Backend session(String app, String state, Instant xactStart, Instant queryStart,
      String query) {
    return new Backend(42, 0, false, "pix", app, state, "", "", T0, xactStart, queryStart,
        queryStart, List.of(), query);
  }

  private StepProgress observe(int second, Backend... backends) throws Exception {
    return observe(second, Optional.empty(), backends);
  }

  private StepProgress observe(int second, Optional<Boolean> doneQuery, Backend... backends)
      throws Exception {
    return tracker.observe(new StepTracker.Observed(T0.plusSeconds(second), List.of(backends),
        SESSIONS, Optional.empty(), doneQuery), 0, (step, statement, start) -> Optional.empty());
  }

  @Test
  void movesForwardAndIsDoneWhenTheLastStepsTransactionEnds() throws Exception {
    Instant s1 = T0.plusSeconds(10);
    assertThat(observe(5).step()).isEqualTo(-1);
    StepProgress first = observe(11, session("pix-migration", "active", s1, s1,
        "ALTER TABLE \"knowledge-elements\" ALTER COLUMN \"answerId\" TYPE BIGINT"));
    assertThat(first.step()).isZero();
    assertThat(first.stepStartedAt()).contains(s1);
    assertThat(first.heartbeatAt()).contains(T0.plusSeconds(11));

    // Someone else's session running the same statement does not count.
    Instant s2 = T0.plusSeconds(20);
    assertThat(observe(21, session("psql", "active", s2, s2, "ALTER TABLE answers ...")).step())
        .isZero();

    // Step 1 runs in a transaction: idle in transaction after it, not finished.
    Backend inTransaction = session("pix-migration", "idle in transaction", s2, s2,
        "ALTER TABLE answers ALTER COLUMN id TYPE BIGINT");
    assertThat(observe(22, inTransaction).step()).isEqualTo(1);
    // The instant last step, seen only as the last statement of an idle-in-transaction session.
    Instant s3 = T0.plusSeconds(30);
    StepProgress last = observe(31, session("pix-migration", "idle in transaction", s2, s3,
        "ALTER SEQUENCE answers_id_seq AS BIGINT"));
    assertThat(last.step()).isEqualTo(2);
    assertThat(last.done()).isFalse();
    // COMMIT: the session is idle outside a transaction.
    StepProgress committed = observe(32, session("pix-migration", "idle", null,
        T0.plusSeconds(31), "COMMIT"));
    assertThat(committed.done()).isTrue();
    // Steps never go back, and done stays.
    assertThat(observe(40).done()).isTrue();
  }

  @Test
  void aDisconnectedSessionFinishesItsStep() throws Exception {
    Instant s1 = T0.plusSeconds(10);
    observe(11, session("pix-migration", "active", s1, s1, "ALTER TABLE \"knowledge-elements\""));
    StepProgress gone = observe(12);
    assertThat(gone.step()).isZero();
    assertThat(gone.done()).isFalse();
    assertThat(gone.stepRatio()).hasValue(1);
    assertThat(gone.detail()).isEqualTo("finished, waiting for the next step");
  }

  @Test
  void theDoneQueryDecidesAlone() throws Exception {
    Instant s3 = T0.plusSeconds(30);
    StepProgress sessionSaysDone = observe(31, Optional.of(false),
        session("pix-migration", "idle", null, s3, "ALTER SEQUENCE answers_id_seq AS BIGINT"));
    assertThat(sessionSaysDone.step()).isEqualTo(2);
    assertThat(sessionSaysDone.done()).isFalse();
    assertThat(sessionSaysDone.detail()).isEqualTo("finished, the done query does not confirm it yet");
    assertThat(observe(32, Optional.of(true)).done()).isTrue();
  }

  @Test
  void aProgressQueryNamesTheStep() throws Exception {
    StepTracker byTable = new StepTracker(new MigrationWatch("bigint", List.of("a", "b"),
        List.of(Optional.empty(), Optional.empty()), Optional.of("SELECT ..."), Optional.empty()));
    Instant started = T0.plusSeconds(3);
    StepProgress b = byTable.observe(new StepTracker.Observed(T0.plusSeconds(5), List.of(), SESSIONS,
        Optional.of(new StepTracker.ProgressRow("b", false, Optional.of(started))),
        Optional.empty()), 0, (step, statement, start) -> Optional.empty());
    assertThat(b.step()).isEqualTo(1);
    assertThat(b.stepStartedAt()).contains(started);
    StepProgress finished = byTable.observe(new StepTracker.Observed(T0.plusSeconds(6), List.of(),
        SESSIONS, Optional.of(new StepTracker.ProgressRow("b", true, Optional.empty())),
        Optional.empty()), 0, (step, statement, start) -> Optional.empty());
    assertThat(finished.done()).isTrue();
  }

  private static final Instant BOOT = T0.minusSeconds(3600);

  private StepProgress observeRun(int second, Instant postmaster, long rollbacks,
      Optional<Boolean> effect, Backend... backends) throws Exception {
    return tracker.observe(new StepTracker.Observed(T0.plusSeconds(second), List.of(backends),
        SESSIONS, Optional.empty(), Optional.empty(), postmaster, rollbacks), 0,
        (step, statement, start) -> Optional.empty(), (step, statement) -> effect);
  }

  private static Backend other(int pid, String app, String user, Instant start, String query) {
    return new Backend(pid, 0, false, user, app, "active", "", "", T0, start, start, start,
        List.of(), query);
  }

  private static final String KE = "ALTER TABLE \"knowledge-elements\" ALTER COLUMN x TYPE BIGINT";

  @Test
  void aSessionEndedWithoutTheEffectIsInterruptedAndTheRerunIsFollowedFromZero()
      throws Exception {
    Instant s1 = T0.plusSeconds(10);
    observeRun(11, BOOT, 5, Optional.of(false), session("pix-migration", "active", s1, s1, KE));
    StepProgress gone = observeRun(12, BOOT, 6, Optional.of(false));
    assertThat(gone.interruption()).hasValueSatisfying(i -> {
      assertThat(i.reason()).isEqualTo("its session ended during the step");
      assertThat(i.step()).isZero();
    });
    assertThat(gone.stepRatio()).isEmpty();
    assertThat(gone.detail()).startsWith("interrupted");
    // Still interrupted while nothing runs: the idle session's old statement is not a rerun.
    assertThat(observeRun(13, BOOT, 6, Optional.of(false)).interruption()).isPresent();

    Instant s2 = T0.plusSeconds(20);
    StepProgress rerun = observeRun(21, BOOT, 6, Optional.of(true),
        session("pix-migration", "active", s2, s2, KE));
    assertThat(rerun.step()).isZero();
    assertThat(rerun.interruption()).isEmpty();
    assertThat(rerun.stepStartedAt()).contains(s2);
    StepProgress finished = observeRun(22, BOOT, 6, Optional.of(true),
        session("pix-migration", "idle", null, s2, KE));
    assertThat(finished.stepRatio()).hasValue(1);
    assertThat(finished.attempts()).extracting(StepAttempt::outcome)
        .containsExactly(StepAttempt.INTERRUPTED, StepAttempt.FINISHED);
  }

  @Test
  void aServerRestartInterruptsEvenWhenTheSessionLooksFinished() throws Exception {
    Instant s1 = T0.plusSeconds(10);
    observeRun(11, BOOT, 5, Optional.empty(), session("pix-migration", "active", s1, s1, KE));
    StepProgress restarted = observeRun(30, T0.plusSeconds(25), 0, Optional.empty());
    assertThat(restarted.interruption()).hasValueSatisfying(i ->
        assertThat(i.reason()).isEqualTo("the server restarted during the step"));
  }

  @Test
  void anAbortedTransactionIsAnInterruption() throws Exception {
    Instant s1 = T0.plusSeconds(10);
    observeRun(11, BOOT, 5, Optional.empty(), session("pix-migration", "active", s1, s1, KE));
    StepProgress aborted = observeRun(12, BOOT, 5, Optional.empty(),
        session("pix-migration", "idle in transaction (aborted)", s1, s1, KE));
    assertThat(aborted.interruption()).hasValueSatisfying(i ->
        assertThat(i.reason()).startsWith("its transaction was aborted"));
  }

  @Test
  void withoutADoneCheckARollbackSinceTheStartMeansInterrupted() throws Exception {
    Instant s1 = T0.plusSeconds(10);
    String sequence = "ALTER SEQUENCE answers_id_seq AS BIGINT";
    observeRun(11, BOOT, 5, Optional.empty(), session("pix-migration", "active", s1, s1, sequence));
    StepProgress failed = observeRun(12, BOOT, 6, Optional.empty(),
        session("pix-migration", "idle", null, s1, sequence));
    assertThat(failed.interruption()).hasValueSatisfying(i ->
        assertThat(i.reason()).contains("rolled back"));
    assertThat(failed.done()).isFalse();
  }

  @Test
  void anEarlierStepStartedAgainIsFollowedAgain() throws Exception {
    Instant s1 = T0.plusSeconds(10);
    Instant s2 = T0.plusSeconds(20);
    observeRun(11, BOOT, 0, Optional.of(true), session("pix-migration", "active", s1, s1, KE));
    assertThat(observeRun(21, BOOT, 0, Optional.of(true), session("pix-migration", "active", s2,
        s2, "ALTER TABLE answers ALTER COLUMN id TYPE BIGINT")).step()).isEqualTo(1);
    Instant s3 = T0.plusSeconds(30);
    StepProgress back = observeRun(31, BOOT, 0, Optional.of(true),
        session("pix-migration", "active", s3, s3, KE));
    assertThat(back.step()).isZero();
    assertThat(back.stepStartedAt()).contains(s3);
    assertThat(back.attempts()).extracting(StepAttempt::step).containsExactly(0, 1, 0);
  }

  @Test
  void aStepBlockedByALockIsWaitingOnItsHolder() throws Exception {
    Instant s1 = T0.plusSeconds(10);
    Backend blocked = new Backend(42, 0, false, "pix", "pix-migration", "active", "Lock",
        "relation", T0, s1, s1, s1, List.of(7), KE);
    StepProgress waiting = observeRun(15, BOOT, 0, Optional.empty(), blocked,
        other(7, "psql", "night-shift", T0, "SELECT 1"));
    assertThat(waiting.waiting()).hasValueSatisfying(w -> {
      assertThat(w.who()).isEqualTo("psql (night-shift)");
      assertThat(w.since()).isEqualTo(s1);
    });
    Backend running = new Backend(42, 0, false, "pix", "pix-migration", "active", "", "", T0, s1,
        s1, s1, List.of(), KE);
    assertThat(observeRun(16, BOOT, 0, Optional.empty(), running).waiting()).isEmpty();
  }
}

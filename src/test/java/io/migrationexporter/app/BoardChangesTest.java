package io.migrationexporter.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.app.BoardChanges.Change;
import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.CheckState;
import io.migrationexporter.check.Expectation;
import io.migrationexporter.check.GateDefinition;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.migration.Interruption;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.phase.PhaseSource;
import io.migrationexporter.phase.PhaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the journal records between two boards, in its words. */
class BoardChangesTest {
  private static final Instant T0 = Instant.parse("2026-11-26T22:00:00Z");
  private static final Instant T1 = T0.plusSeconds(10);
  private static final CheckDefinition FRONT = new CheckDefinition("front", "Front", "maintenance",
      "", "http", "http:front", "front", Set.of("maintenance"), Set.of());
  private static final GateDefinition READY = new GateDefinition("ready-to-migrate", "Ready",
      "migration", List.of(), Set.of("maintenance"), Set.of());
  private static final MigrationDefinition NIGHT = new MigrationDefinition("night", "Night",
      "postgres:pix", List.of(new StepDefinition("rewrite", "Rewrite the table", Optional.empty()),
          new StepDefinition("index", "Build the index", Optional.empty())));
  private static final RelationVolume VOLUME = new RelationVolume(8L << 30, 120_000_000L);

  @Test
  void nothingWhenTheBoardsAgree() {
    Board board = board(T0, List.of(ok()), List.of(gate(true)), List.of(running(T0)));

    assertThat(BoardChanges.between(board, board)).isEmpty();
    assertThat(BoardChanges.between(board,
        board(T1, List.of(ok()), List.of(gate(true)), List.of(running(T0))))).isEmpty();
  }

  @Test
  void aCheckTurningFailing() {
    List<Change> changes = BoardChanges.between(board(T0, List.of(ok()), List.of(), List.of()),
        board(T1, List.of(failing()), List.of(), List.of()));

    assertThat(changes).containsExactly(new Change("check", "front", "ok", "failing",
        "front is failing: expected closed in phase maintenance, saw: 200 OK"));
  }

  @Test
  void aCheckSeenForTheFirstTimeHasNoPreviousState() {
    List<Change> changes = BoardChanges.between(board(T0, List.of(), List.of(), List.of()),
        board(T1, List.of(ok()), List.of(), List.of()));

    assertThat(changes).containsExactly(new Change("check", "front", null, "ok",
        "front is ok: 503 Service Unavailable"));
  }

  @Test
  void aGateOpeningAndClosing() {
    Board closed = board(T0, List.of(failing()), List.of(gate(false)), List.of());
    Board open = board(T1, List.of(failing()), List.of(gate(true)), List.of());

    assertThat(BoardChanges.between(closed, open)).containsExactly(new Change("gate",
        "ready-to-migrate", "closed", "open", "gate ready-to-migrate is open"));
    assertThat(BoardChanges.between(open, closed)).containsExactly(new Change("gate",
        "ready-to-migrate", "open", "closed",
        "gate ready-to-migrate is closed (1 of 1 checks not ok)"));
  }

  @Test
  void aStepStartingWithTheSizeOfTheTableItRewrites() {
    MigrationStatus notStarted = MigrationStatus.of(NIGHT, StepProgress.notStarted());

    List<Change> changes = BoardChanges.between(board(T0, List.of(), List.of(), List.of(notStarted)),
        board(T1, List.of(), List.of(), List.of(running(T1))));

    assertThat(changes).containsExactly(
        new Change("step", "night", "not started", "step 1 of 2: Rewrite the table",
            "night: step 1 of 2: Rewrite the table", Optional.of(VOLUME), Optional.empty()),
        new Change("migration", "night", "not_started", "running",
            "night is Running (no estimate)"));
  }

  @Test
  void aMigrationInterrupted() {
    Instant killed = T1.minusSeconds(5);
    StepProgress interrupted = new StepProgress(0, false, Optional.of(T0), OptionalDouble.empty(),
        Optional.empty(), Optional.of(T0), "", Optional.empty(),
        Optional.of(new Interruption("the session was terminated", 0, killed)), List.of(),
        Optional.of(VOLUME));

    List<Change> changes = BoardChanges.between(
        board(T0, List.of(), List.of(), List.of(running(T0))),
        board(T1, List.of(), List.of(), List.of(MigrationStatus.of(NIGHT, interrupted))));

    assertThat(changes).as("still at step 1: only its state changed").containsExactly(
        new Change("migration", "night", "running", "interrupted",
            "night is Interrupted: the session was terminated (attempt 1 of step 1)"
                + " (interrupted 5 s ago, no estimate until the step runs again)"));
  }

  @Test
  void aMigrationTurningUnknownChangesItsStateButRecordsNoStep() {
    List<Change> changes = BoardChanges.between(
        board(T0, List.of(), List.of(), List.of(running(T0))),
        board(T1, List.of(), List.of(), List.of(MigrationStatus.unknown(NIGHT, "not yet polled"))));

    assertThat(changes).extracting(Change::type).containsExactly("migration");
    assertThat(changes.get(0).to()).isEqualTo("unknown");
  }

  private static CheckResult ok() {
    return new CheckResult(FRONT, "maintenance", Expectation.CLOSED, CheckState.OK, true, false,
        "503 Service Unavailable", "", T0, Optional.empty());
  }

  private static CheckResult failing() {
    return new CheckResult(FRONT, "maintenance", Expectation.CLOSED, CheckState.FAILING, false,
        true, "200 OK", "expected closed in phase maintenance, saw: 200 OK", T0, Optional.empty());
  }

  private static GateResult gate(boolean open) {
    return new GateResult(READY, open, open ? List.of() : List.of(failing()), 1);
  }

  private static MigrationStatus running(Instant heartbeat) {
    return MigrationStatus.of(NIGHT, new StepProgress(0, false, Optional.of(T0),
        OptionalDouble.empty(), Optional.empty(), Optional.of(heartbeat), "", Optional.empty(),
        Optional.empty(), List.of(), Optional.of(VOLUME)));
  }

  private static Board board(Instant at, List<CheckResult> checks, List<GateResult> gates,
      List<MigrationStatus> migrations) {
    return new Board(at, new PhaseState("maintenance", Map.of("maintenance", T0), "test"),
        List.of("maintenance"), PhaseSource.stateFile("state.json"), checks, gates, migrations,
        Map.of(), Map.of(), new Board.ConfigStatus("exporter.conf", true, T0, ""),
        at.plus(Duration.ofMinutes(1)));
  }
}

package io.migrationexporter.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.CheckState;
import io.migrationexporter.check.GateDefinition;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.collect.SourceStates;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.MigrationState;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.phase.PhaseController;
import io.migrationexporter.phase.PhaseSource;
import io.migrationexporter.phase.PhaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The board from the sources' states, the phase and an instant, without threads or HTTP. */
class BoardBuilderTest {
  private static final Instant T0 = Instant.parse("2026-11-26T22:00:00Z");
  private static final Duration STALE_AFTER = Duration.ofSeconds(30);
  private static final SourceSchedule SCHEDULE =
      new SourceSchedule(Duration.ofSeconds(10), STALE_AFTER, Duration.ofSeconds(5));
  private static final Board.ConfigStatus CONFIG =
      new Board.ConfigStatus("exporter.conf", true, T0, "");
  /** Closed in maintenance and migration, open in preparation. */
  private static final CheckDefinition FRONT = new CheckDefinition("front", "Front", "maintenance",
      "", "http", "http:front", "front", Set.of("maintenance", "migration"),
      Set.of("preparation"));
  private static final GateDefinition READY = new GateDefinition("ready-to-migrate", "Ready",
      "migration", List.of("preparation"), Set.of("maintenance"), Set.of());
  private static final MigrationDefinition NIGHT = new MigrationDefinition("night", "Night",
      "postgres:pix", List.of(new StepDefinition("rewrite", "Rewrite", Optional.empty())),
      Duration.ofMinutes(5));

  private final BoardBuilder builder = new BoardBuilder(List.of(FRONT), List.of(READY),
      List.of(NIGHT), Map.of("http:front", SCHEDULE, "postgres:pix", SCHEDULE));

  @Test
  void checksAreEvaluatedAgainstTheCurrentPhaseAndGatesAgainstTheirOwn() {
    Map<String, SourceState> closedFront = sources(front(Observation.closed("503"), T0));

    Board preparing = builder.build(closedFront, phase("preparation"), CONFIG, T0.plusSeconds(1),
        UnaryOperator.identity());
    Board maintaining = builder.build(closedFront, phase("maintenance"), CONFIG,
        T0.plusSeconds(1), UnaryOperator.identity());

    assertThat(preparing.checks()).extracting(CheckResult::state).containsExactly(CheckState.FAILING);
    assertThat(preparing.checks().get(0).phase()).isEqualTo("preparation");
    assertThat(preparing.gate("ready-to-migrate").orElseThrow().open())
        .as("judged by the migration phase, where the front must be closed").isTrue();
    assertThat(maintaining.checks()).extracting(CheckResult::state).containsExactly(CheckState.OK);
    assertThat(maintaining.phase().current()).isEqualTo("maintenance");
  }

  @Test
  void dataOlderThanItsStalenessLimitIsUnknownNeverOk() {
    Map<String, SourceState> closedFront = sources(front(Observation.closed("503"), T0));

    Board fresh = builder.build(closedFront, phase("maintenance"), CONFIG,
        T0.plus(STALE_AFTER), UnaryOperator.identity());
    Board stale = builder.build(closedFront, phase("maintenance"), CONFIG,
        T0.plus(STALE_AFTER).plusSeconds(1), UnaryOperator.identity());

    assertThat(fresh.checks().get(0).state()).isEqualTo(CheckState.OK);
    CheckResult unknown = stale.checks().get(0);
    assertThat(unknown.state()).isEqualTo(CheckState.UNKNOWN);
    assertThat(unknown.reason()).startsWith("data is 31s old");
    assertThat(stale.gate("ready-to-migrate").orElseThrow().open()).isFalse();
    assertThat(stale.migrations().get(0).state(stale.at())).isEqualTo(MigrationState.UNKNOWN);
  }

  @Test
  void aSourceNeverReadOrFailingIsUnknown() {
    Map<String, SourceState> states = new LinkedHashMap<>();
    states.put("http:front", SourceStates.failed("http:front", "connection refused", T0));
    states.put("postgres:pix", SourceStates.neverRead("postgres:pix"));

    Board board = builder.build(states, phase("maintenance"), CONFIG, T0.plusSeconds(1),
        UnaryOperator.identity());

    assertThat(board.checks().get(0).state()).isEqualTo(CheckState.UNKNOWN);
    assertThat(board.checks().get(0).reason()).contains("connection refused");
    assertThat(board.migrations().get(0).reason()).isEqualTo("not yet polled");
  }

  @Test
  void theBoardHoldsUntilTheFirstDataTurnsStale() {
    Instant at = T0.plusSeconds(10);
    Board board = builder.build(sources(front(Observation.closed("503"), T0)),
        phase("maintenance"), CONFIG, at, UnaryOperator.identity());
    Board nothingRead = builder.build(Map.of(), phase("maintenance"), CONFIG, at,
        UnaryOperator.identity());

    assertThat(board.validUntil()).isEqualTo(T0.plus(STALE_AFTER).plusMillis(1));
    assertThat(nothingRead.validUntil()).as("looked at again a minute later at the latest")
        .isEqualTo(at.plus(Duration.ofMinutes(1)));
  }

  @Test
  void aRunningMigrationEndsTheBoardWhenItWouldTurnSilent() {
    // silent at T0 + 10 s, before the source's data turns stale at T0 + 30 s
    Instant heartbeat = T0.minus(Duration.ofMinutes(5)).plusSeconds(10);
    StepProgress running = new StepProgress(0, false, Optional.of(heartbeat),
        OptionalDouble.empty(), Optional.empty(), Optional.of(heartbeat), "rewriting");
    Map<String, SourceState> states = new LinkedHashMap<>();
    states.put("postgres:pix", SourceStates.read("postgres:pix",
        Reading.builder().migration("night", running).build(), T0));

    Board board = builder.build(states, phase("migration"), CONFIG, T0.plusSeconds(1),
        UnaryOperator.identity());

    assertThat(board.migrations().get(0).state(board.at())).isEqualTo(MigrationState.RUNNING);
    assertThat(board.validUntil()).isEqualTo(heartbeat.plus(Duration.ofMinutes(5)).plusMillis(1));
  }

  @Test
  void migrationsPassThroughWhatTheExporterRemembersBeforeTheyAreOnTheBoard() {
    List<List<MigrationStatus>> seen = new ArrayList<>();
    Instant entered = T0.minus(Duration.ofHours(1));

    Board board = builder.build(sources(), phase("migration"), CONFIG, T0, statuses -> {
      seen.add(statuses);
      return statuses.stream().map(status -> status.withStateEnteredAt(entered)).toList();
    });

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).extracting(status -> status.migration().name())
        .containsExactly("night");
    assertThat(board.migrations().get(0).stateEnteredAt()).contains(entered);
  }

  @Test
  void theBoardKeepsTheConfiguredOrderOfSources() {
    List<String> ids = List.of("tcp:z", "http:front", "saas:m", "postgres:pix", "log:a", "tcp:b",
        "http:y", "saas:c", "log:x", "tcp:d");
    Map<String, SourceState> states = new LinkedHashMap<>();
    ids.forEach(id -> states.put(id, SourceStates.read(id, Reading.builder().build(), T0)));
    Map<String, SourceSchedule> schedules = new LinkedHashMap<>();
    ids.forEach(id -> schedules.put(id, SCHEDULE));

    Board board = new BoardBuilder(List.of(), List.of(), List.of(), schedules)
        .build(states, phase("maintenance"), CONFIG, T0, UnaryOperator.identity());

    assertThat(board.sources().keySet()).containsExactlyElementsOf(ids);
    assertThat(board.sources().values()).extracting(SourceState::sourceId)
        .containsExactlyElementsOf(ids);
  }

  private static SourceState front(Observation observation, Instant at) {
    return SourceStates.read("http:front", Reading.builder().observation("front", observation)
        .build(), at);
  }

  private static Map<String, SourceState> sources(SourceState... states) {
    Map<String, SourceState> byId = new LinkedHashMap<>();
    for (SourceState state : states) {
      byId.put(state.sourceId(), state);
    }
    return byId;
  }

  private static PhaseController.View phase(String current) {
    return new PhaseController.View(new PhaseState(current, Map.of(current, T0), "test"),
        List.of("preparation", "maintenance", "migration", "reopening"),
        PhaseSource.stateFile("state.json"));
  }
}

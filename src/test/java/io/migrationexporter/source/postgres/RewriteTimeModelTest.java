package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rewrite time model on traces of real runs (bench/eta.sh: the Pix statements at 2, 6 and
 * 10 M rows on PostgreSQL 15, one look a second), kept under {@code src/test/resources/eta/}:
 * {@code run1-*}, the traces {@link TimeProfile#MEASURED} was read from, and {@code run2-*}, a
 * later run that checks it. Replayed through the estimator, the remaining time it shows at 25, 50
 * and 75 % of each step is compared with the truth, as a share of the step's duration.
 */
class RewriteTimeModelTest {
  /** Issue 11's goal: the remaining time within 20 % of the step's duration. */
  static final double GOAL = 0.20;
  /**
   * Where the goal is not met: the error measured, rounded up to the next 5 %, bounds it instead,
   * so the gap stays written here and a change that widens it fails. Key: trace and share of the
   * step. The misses are where the server's load changed between the heap phase, whose speed the
   * estimate is scaled by, and the phases after it (the machine ran other builds): see
   * docs/postgres.md, "How the ETA is computed".
   */
  static final Map<String, Double> ENVELOPE = Map.of(
      "run1-2M-knowledge-elements.json at 25 %", 0.30,
      "run1-6M-knowledge-elements.json at 25 %", 0.30,
      "run2-2M-answers.json at 25 %", 0.25,
      "run2-6M-knowledge-elements.json at 25 %", 0.25,
      "run2-10M-answers.json at 25 %", 0.30,
      "run2-10M-answers.json at 50 %", 0.30,
      "run2-10M-answers.json at 75 %", 0.30);
  static final List<String> TRACES = List.of(
      "run1-2M-knowledge-elements.json", "run1-2M-answers.json",
      "run1-6M-knowledge-elements.json", "run1-6M-answers.json",
      "run1-10M-knowledge-elements.json", "run1-10M-answers.json",
      "run2-2M-knowledge-elements.json", "run2-2M-answers.json",
      "run2-6M-knowledge-elements.json", "run2-6M-answers.json",
      "run2-10M-knowledge-elements.json", "run2-10M-answers.json");

  static Stream<String> traces() {
    return TRACES.stream();
  }

  static RewriteTrace trace(String name) throws IOException {
    try (InputStream in = RewriteTimeModelTest.class.getResourceAsStream("/eta/" + name)) {
      assertThat(in).as(name).isNotNull();
      return RewriteTrace.read(in);
    }
  }

  @ParameterizedTest
  @MethodSource("traces")
  void remainingTimeIsWithinTheGoalOrItsMeasuredEnvelope(String name) throws IOException {
    RewriteTrace trace = trace(name);
    List<RewriteTrace.Prediction> predictions = trace.replay(TimeProfile.MEASURED);
    for (double fraction : EtaBench.FRACTIONS) {
      String point = String.format(Locale.ROOT, "%s at %.0f %%", name, fraction * 100);
      Optional<Double> error = trace.remainingError(predictions, fraction);
      assertThat(error).as("%s: an ETA", point).isPresent();
      assertThat(Math.abs(error.get())).as("%s: error", point)
          .isLessThanOrEqualTo(ENVELOPE.getOrDefault(point, GOAL));
    }
  }

  @Test
  void theEnvelopeNamesOnlyTracesAndPointsThatExist() {
    for (String point : ENVELOPE.keySet()) {
      assertThat(TRACES).as(point).contains(point.substring(0, point.indexOf(" at ")));
      assertThat(ENVELOPE.get(point)).as(point).isGreaterThan(GOAL);
    }
  }

  @Test
  void theWalRatioMissedTheGoalOnTheSameTraces() throws IOException {
    double worst = 0;
    for (String name : TRACES) {
      RewriteTrace trace = trace(name);
      for (double fraction : EtaBench.FRACTIONS) {
        worst = Math.max(worst, Math.abs(trace.walRatioError(fraction).orElse(1.0)));
      }
    }
    assertThat(worst).as("the traces tell the two models apart").isGreaterThan(GOAL);
  }

  @ParameterizedTest
  @MethodSource("traces")
  void onceTheWalStopsTheRatioIsNotStuckAtItsCapAndTheEndIsAhead(String name) throws IOException {
    RewriteTrace trace = trace(name);
    List<RewriteTrace.Prediction> predictions = trace.replay(TimeProfile.MEASURED);
    long finalWal = trace.samples().get(trace.samples().size() - 1).wal();
    // The first look that sees the WAL flat (the server's own background writes aside) at its
    // final position: the one before reached it.
    RewriteTrace.Prediction flat = null;
    for (int i = 1; i < predictions.size() && flat == null; i++) {
      long wal = predictions.get(i).sample().wal();
      if (finalWal - wal < 1 << 20 && wal - predictions.get(i - 1).sample().wal() < 1 << 20) {
        flat = predictions.get(i);
      }
    }
    assertThat(flat).as("%s: the WAL stops before the end", name).isNotNull();
    RewriteEstimator.Estimate estimate = flat.estimate();
    long flatAt = flat.sample().at();
    assertThat(estimate.writtenBytes()).as("all the WAL is written")
        .isGreaterThan((long) (0.9 * estimate.expectedBytes()));
    assertThat(estimate.ratio()).isLessThan(RewriteEstimator.RUNNING_CAP);
    assertThat(estimate.eta()).get().matches(
        eta -> eta.isAfter(Instant.ofEpochMilli(flatAt)), "after the sample");
    assertThat(estimate.detail()).isEqualTo("checking foreign keys");
    assertThat(estimate.overrun()).isEmpty();
  }

  @Test
  void saysWhichPhaseItIsInWhenThePhasesTakeLongerThanPredicted() throws IOException {
    RewriteTrace trace = trace("run1-6M-knowledge-elements.json");
    // A profile that expects no time for the indexes and the keys: overdue as soon as the heap
    // is written, and the words follow the phases.
    TimeProfile hasty = new TimeProfile(TimeProfile.MEASURED.heapWalPerSecond(), 0, 1e6, 0);
    List<RewriteTrace.Prediction> predictions = trace.replay(hasty);
    List<String> overruns = predictions.stream()
        .flatMap(p -> p.estimate().overrun().stream()).distinct().toList();
    assertThat(overruns).contains("sorting index 1 of 2", "sorting index 2 of 2",
        "checking foreign keys");
    // Overdue, the ETA stays where the estimate ran out: "overdue by" grows, it never says "in 0 s".
    List<Instant> overdueEtas = predictions.stream()
        .filter(p -> p.estimate().overrun().equals(Optional.of("checking foreign keys")))
        .map(p -> p.estimate().eta().orElseThrow()).distinct().toList();
    assertThat(overdueEtas).hasSize(1);
    assertThat(overdueEtas.get(0)).isBefore(Instant.ofEpochMilli(trace.endedAt()));
  }

  @Test
  void namesThePhasesInPostgresqlsOrder() throws IOException {
    RewriteTrace trace = trace("run1-6M-knowledge-elements.json");
    List<String> details = trace.replay(TimeProfile.MEASURED).stream()
        .map(p -> p.estimate().detail().replaceAll(" with \\d+ parallel workers?", "")).distinct().toList();
    assertThat(details).containsSubsequence("rewriting the table", "sorting index 1 of 2",
        "writing index 1 of 2", "sorting index 2 of 2", "writing index 2 of 2",
        "checking foreign keys");
  }

  @Test
  void readsThePlanFromTheCatalogWhileTheTableIsLocked() throws Exception {
    PgTestServer server = PgTestServer.shared();
    String database = server.createDatabase("rewrite_plan_test");
    try (Connection admin = server.admin(database); Statement sql = admin.createStatement();
        Connection locker = server.admin(database); Statement lock = locker.createStatement()) {
      sql.execute("CREATE TABLE answers (id int PRIMARY KEY, note text)");
      sql.execute("CREATE TABLE \"knowledge-elements\" (id int PRIMARY KEY,"
          + " \"answerId\" int REFERENCES answers (id), \"userId\" int)");
      sql.execute("CREATE INDEX ke_answer ON \"knowledge-elements\" (\"answerId\")");
      sql.execute("INSERT INTO answers SELECT g, 'n' FROM generate_series(1, 20000) g");
      sql.execute("INSERT INTO \"knowledge-elements\" SELECT g, g, g FROM generate_series(1, 20000) g");
      sql.execute("VACUUM ANALYZE answers, \"knowledge-elements\"");
      locker.setAutoCommit(false);
      lock.execute("LOCK TABLE answers, \"knowledge-elements\" IN ACCESS EXCLUSIVE MODE");
      sql.execute("SET lock_timeout = '1s'");
      Session session = new Session(null, admin, ServerInfo.read(admin));

      RewritePlan keAnswerId = RewritePlan.read(session, "\"knowledge-elements\"",
          "ALTER TABLE \"knowledge-elements\" ALTER COLUMN \"answerId\" TYPE bigint").orElseThrow();
      // The index on the altered column is created again: it is built last.
      assertThat(keAnswerId.indexes()).extracting(RewritePlan.Index::name)
          .containsExactly("knowledge-elements_pkey", "ke_answer");
      assertThat(keAnswerId.indexes()).allMatch(index -> index.bytes() > 0);
      RelationSize answers = RelationSize.read(session, "answers").orElseThrow();
      RelationSize ke = RelationSize.read(session, "\"knowledge-elements\"").orElseThrow();
      assertThat(keAnswerId.foreignKeyRows()).isEqualTo(answers.tuples() + ke.tuples())
          .isEqualTo(40000);

      assertThat(RewritePlan.read(session, "answers",
          "ALTER TABLE answers ALTER COLUMN id TYPE bigint").orElseThrow().foreignKeyRows())
          .as("the key referencing answers.id is validated again").isEqualTo(40000);
      assertThat(RewritePlan.read(session, "\"knowledge-elements\"",
          "ALTER TABLE \"knowledge-elements\" ALTER COLUMN \"userId\" TYPE bigint").orElseThrow()
          .foreignKeyRows()).as("no key on userId").isZero();
      assertThat(RewritePlan.read(session, "missing", "VACUUM FULL missing")).isEmpty();
      locker.rollback();
    }
  }

  @Test
  void findsTheAlteredColumnsAsTheCatalogNamesThem() {
    assertThat(RewritePlan.alteredColumns("ALTER TABLE \"knowledge-elements\" ALTER COLUMN"
        + " \"answerId\" TYPE bigint, alter Status set data type text")).containsExactly("answerId",
        "status");
    assertThat(RewritePlan.alteredColumns("VACUUM FULL answers")).isEmpty();
  }
}

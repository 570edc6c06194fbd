package io.migrationexporter.source.scalingo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.demo.fakes.Fault;
import io.migrationexporter.demo.fakes.FakeScalingo;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingoSourceTest {
  static final String TOKEN = "tk-us-test-scalingo-token-0001";
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String API = "scalingo:pix/pix-api";
  static final String METABASE = "scalingo:pix/pix-metabase";
  static final String PS = "GET /v1/apps/pix-api/ps";
  static final String DATABASE = "scalingo-database:pix/pix-api";

  @TempDir
  Path dir;
  FakeScalingo fake;
  TestExporter exporter;

  @BeforeEach
  void fake() {
    fake = new FakeScalingo(Clock.systemUTC());
    fake.start();
    fake.acceptToken(TOKEN);
    fake.app("pix-api").scale("web", 2).scale("worker", 1).database("ad-pix-api-pg")
        .backups(true).connections(12);
    fake.app("pix-metabase").scale("web", 1);
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    fake.close();
  }

  static String config(FakeScalingo fake, String token, String interval) {
    return config(fake, token, interval, "1s");
  }

  static String config(FakeScalingo fake, String token, String interval, String timeout) {
    return """
        sources.scalingo.pix {
          token = "%s"
          api-url = "%s"
          db-api-url = "%s"
          auth-url = "%s"
          interval = %s
          timeout = %s
          apps {
            pix-api { database {} }
            pix-metabase { ignore-types = [clock] }
          }
        }
        checks {
          api-containers { title = "API", scalingo-containers { account = pix, app = pix-api } }
          metabase-containers { scalingo-containers { account = pix, app = pix-metabase } }
          db-backups { scalingo-backups { account = pix, app = pix-api } }
        }
        """.formatted(token, fake.url(), fake.url(), fake.url(), interval, timeout);
  }

  void startExporter(String token, String interval) throws Exception {
    exporter = TestExporter.start(dir, config(fake, token, interval));
  }

  @Test
  void containersAndBackupsFollowThePhases() throws Exception {
    startExporter(TOKEN, "200ms");
    assertThat(exporter.awaitCheck("api-containers", "ok", WAIT).get("value").asText())
        .isEqualTo("Running (3)");
    assertThat(exporter.awaitCheck("db-backups", "ok", WAIT).get("value").asText())
        .isEqualTo("Backups enabled");
    exporter.awaitCheck("metabase-containers", "ok", WAIT);

    exporter.enterPhase("maintenance");
    assertThat(exporter.awaitCheck("api-containers", "failing", WAIT).get("reason").asText())
        .contains("expected closed", "Running (3)");
    exporter.awaitCheck("db-backups", "failing", WAIT);

    Instant migrationStart = Instant.parse("2022-07-23T22:01:02Z");
    String label = fake.app("pix-api").scale("web", 0).scale("worker", 0).runOneOff(migrationStart);
    fake.app("pix-api").database("ad-pix-api-pg").backups(false);
    fake.app("pix-metabase").scale("web", 0).scale("clock", 1);
    assertThat(exporter.awaitCheck("api-containers", "ok", WAIT).get("value").asText())
        .isEqualTo("Down, 1 one-off");
    assertThat(exporter.awaitCheck("metabase-containers", "ok", WAIT).get("value").asText())
        .as("ignored types do not count").isEqualTo("Down");
    assertThat(exporter.awaitCheck("db-backups", "ok", WAIT).get("value").asText())
        .isEqualTo("Backups disabled");

    String metrics = exporter.metrics();
    assertThat(metrics)
        .contains("migration_scalingo_containers{account=\"pix\",app=\"pix-api\",type=\"one-off\"} 1")
        .contains("migration_scalingo_formation_containers{account=\"pix\",app=\"pix-api\",type=\"web\"} 0")
        .contains("migration_scalingo_oneoff_started_timestamp_seconds{account=\"pix\",app=\"pix-api\",label=\""
            + label + "\"} 1.658613662E9")
        .contains("migration_scalingo_database_backups_enabled{account=\"pix\",app=\"pix-api\"} 0")
        .contains("migration_scalingo_database_connections{account=\"pix\",app=\"pix-api\"} 12")
        .contains("migration_scalingo_app_found{account=\"pix\",app=\"pix-api\"} 1");

    exporter.enterPhase("reopening");
    exporter.awaitCheck("api-containers", "failing", WAIT);
    fake.app("pix-api").stopOneOffs().scale("web", 2);
    fake.app("pix-api").database("ad-pix-api-pg").backups(true);
    exporter.awaitCheck("api-containers", "ok", WAIT);
    exporter.awaitCheck("db-backups", "ok", WAIT);
  }

  @Test
  void theCardCountsTheContainersAndShowsNoNumberOnceUnknown() throws Exception {
    fake.app("pix-api").scale("worker", 0);
    startExporter(TOKEN, "200ms");
    JsonNode check = Await.until("the card to say Running (2)",
        () -> exporter.checkStatus("api-containers"),
        card -> card.path("value").asText().equals("Running (2)"), WAIT);
    assertThat(check.path("amount").isIntegralNumber()).as(check.toString()).isTrue();
    assertThat(check.path("amount").asLong()).isEqualTo(2);
    assertThat(check.path("unit").asText()).isEqualTo("containers");
    assertThat(checkValue(exporter.metrics(), "api-containers")).isEqualTo("2.0");

    fake.app("pix-api").scale("web", 0).runOneOff(Instant.now());
    check = Await.until("the card to count 0", () -> exporter.checkStatus("api-containers"),
        card -> card.path("amount").asLong(-1) == 0, WAIT);
    assertThat(check.path("value").asText()).as("one-off containers do not count")
        .isEqualTo("Down, 1 one-off");

    fake.fault("/v1/apps/", Fault.SERVER_ERROR);
    check = exporter.awaitCheck("api-containers", "unknown", WAIT);
    assertThat(check.has("amount")).as("no old number shown as current: " + check).isFalse();
    assertThat(check.has("unit")).isFalse();
    assertThat(checkValue(exporter.metrics(), "api-containers")).isNull();
  }

  @Test
  void stoppedCrashedAndDeletedContainersDoNotKeepTheGateClosed() throws Exception {
    fake.app("pix-api").listsStoppedContainers();
    fake.app("pix-metabase").listsStoppedContainers();
    startExporter(TOKEN, "200ms");
    exporter.awaitCheck("api-containers", "ok", WAIT);
    assertThat(exporter.metrics()).contains("migration_scalingo_containers Containers of a Scalingo"
        + " app by process type (one-off included), running or starting");
    exporter.enterPhase("maintenance");
    fake.app("pix-api").database("ad-pix-api-pg").backups(false);

    fake.app("pix-api").scale("web", 0).scale("worker", 0);
    fake.app("pix-metabase").scale("web", 0);
    assertThat(exporter.awaitCheck("api-containers", "ok", WAIT).get("value").asText())
        .as("the 3 stopped containers /ps still lists do not count").isEqualTo("Down");
    exporter.awaitCheck("metabase-containers", "ok", WAIT);
    JsonNode gate = Await.until("the gate to open",
        () -> exporter.get("/api/gates/ready-to-migrate"), answer -> answer.statusCode() == 200,
        WAIT).body().transform(TestExporter::parse);
    assertThat(gate.toString()).contains("ready-to-migrate");
    assertThat(exporter.metrics())
        .doesNotContain("migration_scalingo_containers{account=\"pix\",app=\"pix-api\",type=\"web\"}");

    fake.app("pix-api").state("web", "crashed");
    fake.app("pix-metabase").state("web", "running").deleted("web");
    long read = exporter.source(METABASE).path("refreshes").asLong();
    Await.until("a crash and a deletion to be read",
        () -> exporter.source(METABASE).path("refreshes").asLong(), count -> count > read + 2, WAIT);
    assertThat(exporter.checkStatus("metabase-containers").get("value").asText())
        .as("a deleted container does not count, whatever its state").isEqualTo("Down");
    assertThat(exporter.checkStatus("api-containers").get("value").asText()).isEqualTo("Down");
    assertThat(exporter.get("/api/gates/ready-to-migrate").statusCode()).isEqualTo(200);
  }

  /** The value of migration_check_value for {@code check} in an exposition, or null when absent. */
  static String checkValue(String metrics, String check) {
    String prefix = "migration_check_value{check=\"" + check + "\"} ";
    return metrics.lines().filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length())).findFirst().orElse(null);
  }

  @Test
  void theJwtIsReusedUntilFiveMinutesBeforeItExpires() throws Exception {
    startExporter(TOKEN, "100ms");
    exporter.awaitSource(API, true, WAIT);
    Await.until("five calls of ps", () -> exporter.scraped(fake.requests(PS) >= 5), WAIT,
        () -> exporter.source(API));
    assertThat(fake.requests("POST /v1/tokens/exchange")).as("one exchange for all calls").isEqualTo(1);

    fake.jwtLifetime(Duration.ofMinutes(4));
    fake.expireIssuedJwts();
    int before = fake.requests("POST /v1/tokens/exchange");
    int psBefore = fake.requests(PS);
    Await.until("eight more calls of ps",
        () -> exporter.scraped(fake.requests(PS) >= psBefore + 8), WAIT, () -> exporter.source(API));
    assertThat(fake.requests("POST /v1/tokens/exchange") - before)
        .as("a JWT with less than 5 minutes left is exchanged again at each refresh")
        .isGreaterThanOrEqualTo(3);
    assertThat(exporter.source(API).get("up").asBoolean()).isTrue();
  }

  @Test
  void anExpiredJwtMidRunIsExchangedAgainWithoutAFailedRefresh() throws Exception {
    startExporter(TOKEN, "100ms");
    exporter.awaitSource(API, true, WAIT);
    exporter.awaitSource(DATABASE, true, WAIT);
    fake.expireIssuedJwts();
    int exchanges = fake.requests("POST /v1/tokens/exchange");
    int ps = fake.requests(PS);
    Await.until("six more calls of ps", () -> exporter.scraped(fake.requests(PS) >= ps + 6), WAIT,
        () -> exporter.source(API));
    assertThat(fake.requests("POST /v1/tokens/exchange")).isGreaterThan(exchanges);
    assertThat(exporter.source(API).path("last_error_kind").isMissingNode()).isTrue();
    assertThat(exporter.source(API).get("up").asBoolean()).isTrue();
  }

  @Test
  void aWrongTokenIsAClearAuthError() throws Exception {
    startExporter("tk-us-wrong-token-000000", "200ms");
    JsonNode source = exporter.awaitSource(API, false, WAIT);
    assertThat(source.get("last_error_kind").asText()).isEqualTo("auth");
    assertThat(source.get("last_error").asText())
        .isEqualTo("Scalingo refused the API token of account pix at the token exchange (HTTP 401)");
    exporter.awaitCheck("api-containers", "unknown", WAIT);
  }

  @Test
  void aJwtRefusedTwiceGivesUpAfterOneNewExchange() throws Exception {
    startExporter(TOKEN, "200ms");
    exporter.awaitSource(API, true, WAIT);
    fake.fault("/v1/apps/", Fault.UNAUTHORIZED);
    JsonNode source = exporter.awaitSource(API, false, WAIT);
    assertThat(source.get("last_error").asText())
        .isEqualTo("Scalingo refused a freshly exchanged token of account pix (HTTP 401)");
    fake.clearFaults();
    exporter.awaitSource(API, true, WAIT);
  }

  @Test
  void anUnknownAppFailsTheCheckWithTheReason() throws Exception {
    fake.removeApp("pix-metabase");
    startExporter(TOKEN, "200ms");
    JsonNode check = exporter.awaitCheck("metabase-containers", "failing", WAIT);
    assertThat(check.get("value").asText()).isEqualTo("App pix-metabase not found on Scalingo (HTTP 404)");
    assertThat(exporter.metrics())
        .contains("migration_scalingo_app_found{account=\"pix\",app=\"pix-metabase\"} 0");
    fake.app("pix-metabase").scale("web", 1);
    exporter.awaitCheck("metabase-containers", "ok", WAIT);
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
      "FORBIDDEN, /v1/apps/, auth, Scalingo refused the credentials (HTTP 403)",
      "RATE_LIMITED, /v1/apps/, rate-limited, Scalingo rate limit reached (HTTP 429)",
      "RATE_LIMITED_SILENTLY, /v1/apps/, rate-limited, no Retry-After: backing off",
      "SERVER_ERROR, /v1/apps/, server, Scalingo failed (HTTP 500)",
      "HANG, /v1/apps/, timeout, Scalingo did not answer within 1s",
      "SLOW, /v1/apps/, timeout, Scalingo did not answer within 1s",
      "TRUNCATED_JSON, /v1/apps/, bad-payload, invalid or unexpected JSON (truncated)",
      "HTML, /v1/apps/, bad-payload, HTML page instead of JSON",
      "HUGE_BODY, /v1/apps/, bad-payload, more than 4MiB",
      "SERVER_ERROR, /v1/tokens/, server, Scalingo authentication failed (HTTP 500)",
      "HANG, /v1/tokens/, timeout, Scalingo authentication did not answer within 1s",
      "HTML, /v1/tokens/, bad-payload, HTML page instead of JSON",
      "SERVER_ERROR, /api/databases/, server, Scalingo database API failed (HTTP 500)",
      "TRUNCATED_JSON, /api/databases/, bad-payload, truncated",
  })
  void everyFaultIsClassifiedAndTheSourceRecoversOnceItClears(Fault fault, String path,
      String kind, String words) throws Exception {
    fake.slowDelay(Duration.ofSeconds(3));
    // Reading 4 MiB can take more than the 1s the other faults are judged by on a loaded machine,
    // which would turn the body-limit refusal into a timeout.
    String timeout = fault == Fault.HUGE_BODY ? "20s" : "1s";
    exporter = TestExporter.start(dir, config(fake, TOKEN, "300ms", timeout));
    exporter.awaitSource(API, true, WAIT);
    exporter.awaitSource(DATABASE, true, WAIT);
    if (path.startsWith("/v1/tokens/")) {
      fake.expireIssuedJwts();
    }
    fake.fault(path, fault);
    String sourceId = path.startsWith("/api/databases/") ? DATABASE : API;
    String check = sourceId.equals(API) ? "api-containers" : "db-backups";
    JsonNode source = exporter.awaitSource(sourceId, false, WAIT);
    assertThat(source.get("last_error_kind").asText()).isEqualTo(kind);
    assertThat(source.get("last_error").asText()).contains(words);
    assertThat(exporter.checkStatus(check).get("state").asText()).isEqualTo("unknown");

    fake.clearFaults();
    long cleared = System.nanoTime();
    exporter.awaitSource(sourceId, true, WAIT);
    Duration recovery = Duration.ofNanos(System.nanoTime() - cleared);
    // One interval, plus the rate-limit wait the API asked for (1s) or the back-off (2 intervals),
    // plus the refresh itself.
    assertThat(recovery).isLessThan(Duration.ofMillis(300 + 1000 + 1500));
    exporter.awaitCheck(check, "ok", WAIT);
  }

  @Test
  void aRateLimitIsHonouredWithoutPolling() throws Exception {
    startExporter(TOKEN, "100ms");
    exporter.awaitSource(API, true, WAIT);
    fake.fault("/v1/apps/", Fault.RATE_LIMITED);
    JsonNode source = exporter.awaitSource(API, false, WAIT);
    assertThat(source.has("retry_not_before")).isTrue();
    Instant retryAt = Instant.parse(source.get("retry_not_before").asText());
    int calls = fake.requests(PS);
    while (Instant.now().isBefore(retryAt.minusMillis(150))) {
      exporter.metrics();
      assertThat(fake.requests(PS)).as("no call before Retry-After").isEqualTo(calls);
    }
  }
}

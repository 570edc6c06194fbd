package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.Exporter;
import io.migrationexporter.app.Modules;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.config.SourceKind;
import io.migrationexporter.deploy.Dashboards.Query;
import io.migrationexporter.deploy.Dashboards.Variable;
import io.migrationexporter.demo.fakes.FakeFreshping;
import io.migrationexporter.demo.fakes.FakeScalingo;
import io.migrationexporter.deploy.ScriptedMigrationKind.Script;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.source.postgres.PgTestServer;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.LoopbackTarget.Answer;
import io.migrationexporter.testing.Ports;
import io.migrationexporter.web.WebConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain a team runs, with the real programs: the exporter watching simulated apps on
 * loopback (web apps, the demo's fake Scalingo and Freshping APIs, a scripted database with a
 * migration), a real Prometheus loading the project's rules, a real Alertmanager with the
 * project's routing and templates, and a chat webhook standing in for Slack. Two exporter
 * replicas (the HA setup of docs/operations.md) are scraped, each with its own state file. The
 * test walks the phases of a maintenance and checks that every dashboard query returns data
 * from Prometheus at some point of the walk, and that the "app still open" alert reaches the
 * chat once (not once per replica), in words and in the team's time zone (Alertmanager runs
 * with TZ=Asia/Tokyo); that a replica's restart and then both exporters stopping send no false
 * all-clear (only "exporter down"), and that the alert says it is solved once the app closes.
 *
 * <p>Only timings differ from the shipped files: 1 s scrape and evaluation intervals, a 1 s
 * Alertmanager grouping, and the alert rules' {@code for} cut to 1 s, except the alerts whose
 * delay is what keeps a start or a restart quiet (see {@link #KEPT_DELAYS}).
 */
class MonitoringStackEndToEndTest {
  private static final String TOKEN = "end-to-end-admin-token";
  private static final String SCALINGO_TOKEN = "tk-us-end-to-end";
  private static final String FRESHPING_KEY = "fp-end-to-end-key";
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Answer OPEN = Answer.status(200).body("Welcome");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PG_DATABASE = "tower";
  private static final String MIGRATION_APP = "pix-migration";
  /**
   * Alerts whose shipped {@code for} stays (the exporter-down one cut to 10 s): they would fire
   * on Prometheus's first evaluation, an exporter's start before its first refresh, or the
   * moment between the two replicas' phase changes.
   */
  private static final Map<String, String> KEPT_DELAYS = Map.of(
      "MigrationExporterDown", "10s",
      "MigrationReplicaDown", "",
      "MigrationReplicasDisagreeOnPhase", "",
      "MigrationSourceDown", "",
      "MigrationSourceStale", "");
  private static final String STILL_OPEN = "Apps still open during the maintenance";

  @TempDir
  Path dir;

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Script database = new Script();
  private MonitoringStack stack;
  private FakeScalingo scalingo;
  private FakeFreshping freshping;
  /** The two replicas, each with its own configuration file and state file. */
  private final Exporter[] exporters = new Exporter[2];
  private final Path[] exporterConfigs = new Path[2];
  private PgTestServer postgres;
  /** The apps' sessions, closed for the maintenance, opened again at the reopening. */
  private final List<Connection> appSessions = new ArrayList<>();
  /** Sessions kept for the whole walk (the migration's), closed after it. */
  private final List<Connection> sessions = new ArrayList<>();
  /** Dashboard queries that have not returned data yet, by where they come from. */
  private final Map<String, String> waitingForData = new LinkedHashMap<>();
  /** The dashboards' variables, by name. */
  private final Map<String, Variable> variables = new HashMap<>();

  @AfterEach
  void stopEverything() throws Exception {
    closeAppSessions();
    for (Connection connection : sessions) {
      connection.close();
    }
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
  }

  @Test
  void aMaintenanceWalkedThroughPrometheusAlertmanagerAndChat() throws Exception {
    LoopbackTarget front = keep(LoopbackTarget.start());
    LoopbackTarget gateway = keep(LoopbackTarget.start());
    front.answer("/", OPEN);
    gateway.answer("/", OPEN);
    stack = keep(new MonitoringStack(dir));
    stack.meanwhile(this::sampleDashboards);
    scalingo = keep(new FakeScalingo(Clock.systemUTC()));
    scalingo.start();
    scalingo.acceptToken(SCALINGO_TOKEN);
    scalingo.app("pix-api").scale("web", 2).database("ad-pix-api-pg").backups(true)
        .connections(12);
    freshping = keep(new FakeFreshping(FRESHPING_KEY, "pix"));
    freshping.start();
    freshping.check(101, "Pix App", "AV");
    startDatabase();
    for (int replica = 0; replica < exporters.length; replica++) {
      exporterConfigs[replica] = writeExporterConfig(front, gateway, replica);
      startReplica(replica);
    }
    resources.push(this::stopReplicas);
    stack.startAlertmanager();
    readDashboards();
    stack.startPrometheus(Stream.of(exporters).map(Exporter::port).toList(),
        MonitoringStackEndToEndTest::shortDelay);

    awaitQuery("Prometheus scrapes both replicas",
        "count(up{job=\"migration-exporter\"} == 1) == 2");
    sampleDashboards();

    // The database is briefly unreachable: the source-down panels and error counters show it.
    database.unreachable = true;
    awaitQuery("the database source seen down", "migration_source_up{source=\"scripted:main\"} == 0");
    database.unreachable = false;

    // Before the maintenance, an app holds a lock another waits for: who blocks shows by name.
    try (Connection holder = session("pix-api-holder")) {
      holder.setAutoCommit(false);
      try (Statement sql = holder.createStatement()) {
        sql.execute("LOCK TABLE answers IN ACCESS EXCLUSIVE MODE");
      }
      CompletableFuture<Void> waiter = runAsync("pix-worker", "SELECT count(*) FROM answers");
      awaitQuery("who blocks, by name",
          "migration_pg_blocked_sessions_by_blocker{blocked_by=\"pix-api-holder\"} == 1");
      awaitQuery("the holder's transaction is the oldest", "time() -"
          + " migration_pg_oldest_transaction_start_timestamp_seconds{database=\"pg\"} >= 0");
      holder.rollback();
      waiter.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    awaitQuery("the database card counts the apps' two sessions, not the migration's",
        "migration_check_value{check=\"pg-connections\"} == 2");

    // Maintenance: everything closes, the migration's one-off container starts; the gateway is
    // forgotten.
    setPhase("maintenance");
    front.answer("/", Answer.status(503).body("In maintenance"));
    database.connectionsOpen = false;
    closeAppSessions();
    scalingo.app("pix-api").scale("web", 0).runOneOff(Instant.now());
    scalingo.app("pix-api").database("ad-pix-api-pg").backups(false);
    freshping.pauseAll(true);
    // the words each card will show: green "In maintenance (503)", "Stopped", "Backups
    // disabled", "Monitoring paused", "No connection left"; red "In service (200)"
    for (String card : List.of("front\"} == 2503", "gateway\"} == 1200",
        "api-containers\"} == 2631", "db-backups\"} == 2641", "monitoring\"} == 2651",
        "main-connections\"} == 2621", "pg-connections\"} == 2621")) {
      awaitQuery("the card " + card, "migration:check_display:code{check=\"" + card);
    }
    awaitQuery("the database card counts 0", "migration_check_value{check=\"pg-connections\"} == 0");
    JsonNode stillOpen = awaitChat("the 'app still open' alert in the chat", attachment ->
        attachment.path("title").asText().equals(STILL_OPEN)
            && attachment.path("text").asText().contains("(gateway) is still open"));
    String text = stillOpen.path("text").asText();
    assertThat(text)
        .contains("users can still reach it, but the maintenance needs it closed")
        .contains("What to do: Put gateway in maintenance")
        .containsPattern("\\(since \\d\\d:\\d\\d JST\\)");
    assertThat(text.split("is still open", -1)).as("one line for two replicas: " + text).hasSize(2);
    assertThat(stillOpen.path("color").asText()).isEqualTo("warning");

    // A replica restarts (its phase comes back from its state file), then both stop: the
    // chat hears "exporter down", never that the app was closed.
    stopReplica(1);
    startReplica(1);
    awaitQuery("the restarted replica back in its phase",
        "count(migration_phase{phase=\"maintenance\"} == 1) == 2");
    stopReplicas();
    awaitChat("the exporter-down alert", attachment ->
        attachment.path("title").asText().equals("URGENT: Migration exporter down"));
    for (int replica = 0; replica < exporters.length; replica++) {
      startReplica(replica);
    }
    awaitChat("the exporters back", attachment ->
        attachment.path("title").asText().equals("Resolved: Migration exporter down"));
    assertThat(chatTitles()).as("no all-clear while the app is open")
        .doesNotContain("Resolved: " + STILL_OPEN)
        .as("a replica's restart within the replica-down delay is not an alert")
        .doesNotContain("A migration exporter replica is down");

    gateway.answer("/", Answer.status(404));
    JsonNode solved = awaitChat("the 'app still open' alert resolved in the chat", attachment ->
        attachment.path("title").asText().equals("Resolved: " + STILL_OPEN)
            && attachment.path("text").asText().contains("API gateway /users is no longer open"));
    assertThat(solved.path("color").asText()).isEqualTo("good");
    assertThat(solved.path("text").asText()).containsPattern("\\(\\d\\d:\\d\\d JST\\)");
    List<String> titles = chatTitles();
    assertThat(titles.indexOf("URGENT: Migration exporter down"))
        .as("exporter down said once, before the all-clear: " + titles)
        .isEqualTo(titles.lastIndexOf("URGENT: Migration exporter down"))
        .isLessThan(titles.indexOf("Resolved: " + STILL_OPEN));
    awaitQuery("GO: the gate opens", "migration_gate_open{gate=\"ready-to-migrate\"} == 1");

    // Migration: two steps, measured progress and heartbeats, then done.
    setPhase("migration");
    Instant start = Instant.now();
    database.progress = new StepProgress(0, false, Optional.of(start), OptionalDouble.of(0.4),
        Optional.empty(), Optional.of(Instant.now()), "rewriting the table");
    awaitQuery("the first step in Prometheus", "migration_step_index{migration=\"answers\"} == 1");
    // the migration's session builds an index PostgreSQL reports the progress of, row by row
    CompletableFuture<Void> indexBuild = runAsync(MIGRATION_APP,
        "CREATE INDEX answers_slow ON answers ((slow(id)))");
    awaitQuery("PostgreSQL's own progress of the index build",
        "migration_pg_progress_ratio{command=\"CREATE INDEX\"} >= 0");
    awaitQuery("the migration's session seen waiting in pg_sleep",
        "migration_pg_migration_sessions{wait_event=\"PgSleep\"} == 1");
    indexBuild.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    database.progress = new StepProgress(1, false, Optional.of(Instant.now()),
        OptionalDouble.of(0.5), Optional.empty(), Optional.of(Instant.now()), "adding the key");
    awaitQuery("the second step in Prometheus", "migration_step_index{migration=\"answers\"} == 2");
    database.progress = new StepProgress(1, true, Optional.of(start), OptionalDouble.of(1),
        Optional.empty(), Optional.of(Instant.now()), "");
    awaitQuery("the migration done", "migration_done{migration=\"answers\"} == 1");

    // Reopening: everything comes back.
    setPhase("reopening");
    front.answer("/", OPEN);
    gateway.answer("/", OPEN);
    database.connectionsOpen = true;
    openAppSessions();
    scalingo.app("pix-api").stopOneOffs().scale("web", 2).database("ad-pix-api-pg")
        .backups(true);
    freshping.pauseAll(false);
    awaitQuery("every check ok again in the reopening",
        "min(migration_check_status) == 1 and on() migration_phase{phase=\"reopening\"} == 1");

    Await.retrying("every dashboard query to return data; still without: " + waitingForData, () -> {
          sampleDashboards();
          return waitingForData.isEmpty();
        }, STEP_TIMEOUT, POLL);
  }

  /** Replica {@code replica}'s configuration, in a directory of its own (its state file). */
  private Path writeExporterConfig(LoopbackTarget front, LoopbackTarget gateway, int replica)
      throws Exception {
    Path config = Files.createDirectories(dir.resolve("replica-" + replica))
        .resolve("maintenance.conf");
    Files.writeString(config, """
        server { listen = "127.0.0.1:%d", admin-token = "%s" }
        defaults.interval = 1s
        apps {
          front { title = "Front-end" }
          gateway { title = "API gateway" }
        }
        checks {
          front { app = front, title = "Front-end", http { url = "%s" } }
          gateway { app = gateway, title = "API gateway /users", http { url = "%s", closed-status = [404] } }
          api-containers { title = "API containers", scalingo-containers { account = pix, app = pix-api } }
          db-backups { title = "Database backups", scalingo-backups { account = pix, app = pix-api } }
          monitoring { title = "Uptime monitoring", freshping { account = pix, all = true } }
        }
        sources.scalingo.pix {
          token = "%s", api-url = "%s", db-api-url = "%s", auth-url = "%s"
          interval = 1s, timeout = 1s
          apps { pix-api { database {} } }
        }
        sources.postgres.pg {
          url = "%s", user = %s, password = "%s", interval = 1s
          migration-sessions.application-names = [%s]
        }
        sources.freshping.pix { api-key = "%s", subdomain = pix, url = "%s", interval = 1s, timeout = 1s }
        sources.scripted.main {
          migrations {
            answers {
              title = "answers.id to bigint"
              steps = [
                { name = alter-column, title = "Alter the column", expected-duration = 20s }
                { name = add-key, title = "Add the primary key", expected-duration = 10s }
              ]
            }
          }
        }
        """.formatted(Ports.closed(), TOKEN, front.url("/"), gateway.url("/"), SCALINGO_TOKEN, scalingo.url(),
            scalingo.url(), scalingo.url(), postgres.url(PG_DATABASE), PgTestServer.EXPORTER_USER,
            PgTestServer.EXPORTER_PASSWORD, MIGRATION_APP, FRESHPING_KEY, freshping.apiUrl()));
    return config;
  }

  /** Starts (or starts again, on the same port and state file) replica {@code replica}. */
  private void startReplica(int replica) throws Exception {
    List<SourceKind> sourceKinds = new ArrayList<>(Modules.sourceKinds());
    sourceKinds.add(new ScriptedMigrationKind(database));
    ConfigLoader loader = new ConfigLoader(Modules.checkKinds(), sourceKinds);
    exporters[replica] = Exporter.start(loader.load(exporterConfigs[replica]), WebConfig.PLAIN,
        loader, Clock.systemUTC());
  }

  private void stopReplica(int replica) {
    if (exporters[replica] != null) {
      exporters[replica].close();
      exporters[replica] = null;
    }
  }

  private void stopReplicas() {
    for (int replica = 0; replica < exporters.length; replica++) {
      stopReplica(replica);
    }
  }

  /**
   * A real PostgreSQL: a table with a slow index expression (so that an index build lasts some
   * seconds), two app sessions and the migration's idle session.
   */
  private void startDatabase() throws Exception {
    postgres = keep(PgTestServer.start());
    postgres.createDatabase(PG_DATABASE);
    try (Connection setup = postgres.admin(PG_DATABASE); Statement sql = setup.createStatement()) {
      sql.execute("CREATE TABLE answers (id int PRIMARY KEY)");
      sql.execute("INSERT INTO answers SELECT generate_series(1, 400)");
      sql.execute("CREATE FUNCTION slow(n int) RETURNS int IMMUTABLE LANGUAGE sql"
          + " AS 'SELECT n FROM pg_sleep(0.03)'");
    }
    sessions.add(session(MIGRATION_APP));
    openAppSessions();
  }

  private void openAppSessions() throws SQLException {
    appSessions.add(session("pix-api"));
    appSessions.add(session("pix-api"));
  }

  private void closeAppSessions() throws SQLException {
    for (Connection connection : appSessions) {
      connection.close();
    }
    appSessions.clear();
  }

  /** A client session of the test database under {@code applicationName}. */
  private Connection session(String applicationName) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("ApplicationName", applicationName);
    return DriverManager.getConnection(postgres.url(PG_DATABASE), props);
  }

  /** Runs {@code sql} in a session of its own, closed once the statement ends. */
  private CompletableFuture<Void> runAsync(String applicationName, String sql) {
    return CompletableFuture.runAsync(() -> {
      try (Connection connection = session(applicationName);
          Statement statement = connection.createStatement()) {
        statement.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** The rules' {@code for} cut to 1 s, except {@link #KEPT_DELAYS}. */
  private static Duration shortDelay(String alert, Duration shipped) {
    String kept = KEPT_DELAYS.get(alert);
    if (kept == null) {
      return shipped.isZero() ? shipped : Duration.ofSeconds(1);
    }
    return kept.isEmpty() ? shipped : MonitoringStack.duration(kept);
  }

  /** Sets the phase on both replicas, as a team without {@code phases.current} does. */
  private void setPhase(String phase) throws Exception {
    for (Exporter replica : exporters) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + replica.port() + "/api/phase"))
          .header("Authorization", "Bearer " + TOKEN)
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"phase\": \"" + phase + "\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    awaitQuery("phase " + phase + " on both replicas in Prometheus",
        "count(migration_phase{phase=\"" + phase + "\"} == 1) == 2");
  }

  private List<String> chatTitles() throws Exception {
    return stack.chatTitles();
  }

  private void awaitQuery(String what, String promql) throws Exception {
    stack.awaitQuery(what, promql, STEP_TIMEOUT);
  }

  private JsonNode awaitChat(String what, MonitoringStack.AttachmentTest test) throws Exception {
    return stack.awaitChat(what, test, STEP_TIMEOUT);
  }

  private void readDashboards() throws Exception {
    for (Path file : Dashboards.files()) {
      JsonNode dashboard = Dashboards.read(file);
      List<Query> queries = new ArrayList<>(Dashboards.panelQueries(dashboard));
      queries.addAll(Dashboards.variableQueries(dashboard));
      queries.forEach(query -> waitingForData.put(query.where(), query.promql()));
      Dashboards.variables(dashboard).forEach(variable -> variables.put(variable.name(), variable));
    }
  }

  /**
   * Asks Prometheus every dashboard query that has not returned data yet, with the variables
   * set as Grafana would: a repeated panel gets one value of its variable (each in turn: a card's
   * count shows for the checks that have one), "All" its allValue.
   */
  private void sampleDashboards() throws Exception {
    Map<String, String> fixed = new HashMap<>();
    for (Variable variable : variables.values()) {
      if (!variable.defaultsToAll()) {
        fixed.put(variable.name(), variable.current());
      } else if (!variable.allValue().isEmpty()) {
        fixed.put(variable.name(), variable.allValue());
      }
    }
    Map<String, List<String>> repeated = new HashMap<>();
    for (Variable variable : variables.values()) {
      if (!fixed.containsKey(variable.name())) {
        List<String> listed = new ArrayList<>();
        query(Dashboards.substitute(variable.promql(), fixed, "1m")).forEach(series ->
            listed.add(series.path("metric").path(variable.label()).asText("none")));
        repeated.put(variable.name(), listed.isEmpty() ? List.of("none") : listed);
      }
    }
    waitingForData.entrySet().removeIf(entry -> {
      try {
        return returnsData(entry.getValue(), fixed, repeated);
      } catch (Exception e) {
        throw new IllegalStateException(entry.getKey() + ": " + e.getMessage(), e);
      }
    });
  }

  /** Whether {@code promql} returns data for one of the values of the repeated variables. */
  private boolean returnsData(String promql, Map<String, String> fixed,
      Map<String, List<String>> repeated) throws Exception {
    Map<String, String> values = new HashMap<>(fixed);
    repeated.forEach((name, listed) -> values.put(name, listed.get(0)));
    if (!query(Dashboards.substitute(promql, values, "1m")).isEmpty()) {
      return true;
    }
    for (Map.Entry<String, List<String>> variable : repeated.entrySet()) {
      if (!promql.contains("$" + variable.getKey())) {
        continue;
      }
      for (String value : variable.getValue().subList(1, variable.getValue().size())) {
        Map<String, String> another = new HashMap<>(values);
        another.put(variable.getKey(), value);
        if (!query(Dashboards.substitute(promql, another, "1m")).isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  private JsonNode query(String promql) throws Exception {
    return stack.query(promql);
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.push(resource);
    return resource;
  }
}

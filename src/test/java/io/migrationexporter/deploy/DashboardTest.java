package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationexporter.app.Modules;
import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.config.Plan;
import io.migrationexporter.testing.ExampleConfigs;
import io.migrationexporter.deploy.Dashboards.Query;
import io.migrationexporter.Exporter;
import io.migrationexporter.config.SourceKind;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.source.postgres.PgTestServer;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.LoopbackTarget.Answer;
import io.migrationexporter.web.WebConfig;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards as Grafana will read them: JSON that parses, a current schema, unique panel
 * ids, a layout without overlap that fits the team screen, the provisioned data source, valid
 * PromQL everywhere, and words (never a bare number, never green when unknown) on every check.
 */
class DashboardTest {
  /**
   * Grafana's grid: 24 columns; a row unit is 30 px plus an 8 px margin. In kiosk mode at
   * 1080 px, less 16 px of page padding above and below, (1080 - 32 + 8) / 38 = 27 units fit.
   */
  private static final int GRID_COLUMNS = 24;
  private static final int KIOSK_ROWS = (1080 - 2 * 16 + 8) / (30 + 8);
  private static final String CONTROL_TOWER = "migration-control-tower";

  @Test
  void everyDashboardUsesACurrentSchemaAndUniquePanelIds() throws Exception {
    assertThat(Dashboards.files()).hasSize(2);
    for (Path file : Dashboards.files()) {
      JsonNode dashboard = Dashboards.read(file);
      assertThat(dashboard.path("uid").asText() + ".json").isEqualTo(file.getFileName().toString());
      assertThat(dashboard.path("schemaVersion").asInt()).as(file.toString())
          .isGreaterThanOrEqualTo(39);
      assertThat(dashboard.path("editable").asBoolean(true)).isFalse();
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : Dashboards.panels(dashboard)) {
        assertThat(ids.add(panel.path("id").asInt())).as(file + ": panel id " + panel.path("id"))
            .isTrue();
        // a repeated check card has no title bar: its series is named from the configuration
        if (!panel.has("repeat")) {
          assertThat(panel.path("title").asText()).isNotBlank();
        }
      }
    }
  }

  @Test
  void panelsStayInsideTheGridWithoutOverlapping() throws Exception {
    for (Path file : Dashboards.files()) {
      List<Box> boxes = boxes(Dashboards.read(file));
      for (Box box : boxes) {
        assertThat(box.x >= 0 && box.y >= 0 && box.w >= 1 && box.h >= 1
            && box.x + box.w <= GRID_COLUMNS).as(file + ": " + box).isTrue();
      }
      for (int i = 0; i < boxes.size(); i++) {
        for (int j = i + 1; j < boxes.size(); j++) {
          assertThat(boxes.get(i).overlaps(boxes.get(j)))
              .as(file + ": " + boxes.get(i) + " overlaps " + boxes.get(j)).isFalse();
        }
      }
    }
  }

  @Test
  void controlTowerFitsAKioskScreenForThePixBoardAndALargerOne(@TempDir Path dir)
      throws Exception {
    JsonNode dashboard = Dashboards.read(CONTROL_TOWER);
    Plan pix = Modules.loader().load(ExampleConfigs.pixWithCredentials(dir));
    Map<String, Integer> checks;
    checks = repeatCounts(pix.checks());
    assertThat(checks.get("maintenance_check")).isPositive();
    assertThat(bottom(dashboard, checks)).as("rows used by the Pix board " + checks)
        .isLessThanOrEqualTo(KIOSK_ROWS);
    // with the PaaS, monitoring and database cards the original board had: up to 16 cards to
    // close and 8 databases still fit
    Map<String, Integer> large = Map.of("maintenance_check", 16, "connections_check", 8,
        "reopening_check", 16);
    assertThat(bottom(dashboard, large)).as("rows used by a board with " + large)
        .isLessThanOrEqualTo(KIOSK_ROWS);
    for (JsonNode panel : Dashboards.panels(dashboard)) {
      if (panel.has("repeat")) {
        assertThat(panel.path("repeatDirection").asText()).isEqualTo("h");
        assertThat(panel.path("gridPos").path("w").asInt() * panel.path("maxPerRow").asInt())
            .as(panel.path("title").asText()).isEqualTo(GRID_COLUMNS);
      }
    }
  }

  /**
   * Read from 3 m on a 1920x1080 kiosk: the verdict of the phase's own gate and what blocks it
   * open the screen, and the tables have room for every row a night shows: 4 migrations, 9 lines
   * of phases and steps, 3 alerts at once.
   */
  @Test
  void controlTowerGivesEachTableRoomForEveryRow() throws Exception {
    JsonNode dashboard = Dashboards.read(CONTROL_TOWER);
    Box gate = box(dashboard, "migration_gate_applies) == 1)", 0);
    Box blocking = box(dashboard, "max by (gate) (migration_gate_blocking_checks)", 0);
    assertThat(gate.y).as("the gate of the phase opens the screen").isZero();
    assertThat(blocking.y).as("what blocks it, beside it").isZero();
    assertThat(tableRows(box(dashboard, "migration_progress_known", 0), 36))
        .as("migrations with 'sm' rows").isGreaterThanOrEqualTo(4);
    assertThat(tableRows(box(dashboard, "ALERTS{", 0), 36)).as("alerts firing")
        .isGreaterThanOrEqualTo(2);
    Box timeline = box(dashboard, "max by (phase) (migration_phase) == 1", 1);
    assertThat((timeline.h * 38 - 8 - 30) / 9).as("px per line of phases and steps (5 + 4)")
        .isGreaterThanOrEqualTo(20);
  }

  /** How many rows of {@code rowPx} a table panel shows under its title and header. */
  private static int tableRows(Box table, int rowPx) {
    return (table.h * 38 - 8 - 30 - rowPx) / rowPx;
  }

  /** The {@code index}-th panel one of whose queries contains {@code exprPart}. */
  private static Box box(JsonNode dashboard, String exprPart, int index) {
    List<Box> found = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        if (target.path("expr").asText().contains(exprPart)) {
          JsonNode grid = panel.path("gridPos");
          found.add(new Box(panel.path("id").asInt(), panel.path("title").asText(),
              grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(),
              grid.path("h").asInt(), panel.path("repeat").asText(""), 1,
              target.path("expr").asText()));
          break;
        }
      }
    }
    assertThat(found).as("panels querying " + exprPart).hasSizeGreaterThan(index);
    return found.get(index);
  }

  @Test
  void everyDataSourceIsTheProvisionedPrometheus() throws Exception {
    JsonNode provisioned = Yaml.read(Project.file("grafana/provisioning/datasources/migration.yml"));
    List<String> prometheusUids = new ArrayList<>();
    provisioned.path("datasources").forEach(source -> {
      if (source.path("type").asText().equals("prometheus")) {
        prometheusUids.add(source.path("uid").asText());
      }
    });
    assertThat(prometheusUids).containsExactly(Dashboards.PROMETHEUS_UID);
    for (Path file : Dashboards.files()) {
      List<JsonNode> datasources = new ArrayList<>();
      collect(Dashboards.read(file), "datasource", datasources);
      assertThat(datasources).as(file.toString()).isNotEmpty();
      for (JsonNode datasource : datasources) {
        assertThat(datasource.path("uid").asText()).as(file + ": " + datasource)
            .isEqualTo(Dashboards.PROMETHEUS_UID);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
      }
    }
  }

  @Test
  void theFileProviderReadsWhereComposeMountsTheDashboards() throws Exception {
    JsonNode provider = Yaml.read(Project.file("grafana/provisioning/dashboards/migration.yml"))
        .path("providers").get(0);
    assertThat(provider.path("allowUiUpdates").asBoolean(true)).isFalse();
    String path = provider.path("options").path("path").asText();
    JsonNode volumes = Yaml.read(Project.file("docker-compose.yml"))
        .path("services").path("grafana").path("volumes");
    assertThat(volumes.toString()).contains("./grafana/dashboards:" + path + ":ro");
  }

  @Test
  void everyExpressionIsValidPromQl(@TempDir Path dir) throws Exception {
    Path promtool = Tools.require("prometheus", "promtool");
    // promtool parses every expression of a rule file: each query becomes a recording rule
    ObjectNode rules = Yaml.MAPPER.createObjectNode();
    ArrayNode list = rules.putArray("groups").addObject().put("name", "dashboards")
        .putArray("rules");
    List<String> where = new ArrayList<>();
    for (Path file : Dashboards.files()) {
      JsonNode dashboard = Dashboards.read(file);
      List<Query> queries = new ArrayList<>(Dashboards.panelQueries(dashboard));
      queries.addAll(Dashboards.variableQueries(dashboard));
      for (Query query : queries) {
        assertThat(query.promql()).as(query.where()).isNotBlank();
        list.addObject().put("record", "dashboard_query_" + where.size())
            .put("expr", Dashboards.substitute(query.promql(), Map.of(), "5m"));
        where.add(query.where());
      }
    }
    Path file = dir.resolve("dashboard-queries.yml");
    Yaml.write(file, rules);
    Tools.Result result = Tools.run(dir, Duration.ofSeconds(60),
        List.of(promtool.toString(), "check", "rules", file.toString()));
    assertThat(result.exitCode()).as(result.output() + "\nqueries, by index: " + where).isZero();
    assertThat(result.output()).contains("SUCCESS: " + where.size() + " rules found");
  }

  @Test
  void everyCheckShowsWordsAndIsNeverGreenWhenUnknown() throws Exception {
    JsonNode dashboard = Dashboards.read(CONTROL_TOWER);
    String recording = Files.readString(Project.file("prometheus/rules/migration-recording.yml"));
    Set<String> displayCodes = new HashSet<>();
    // HTTP: the status codes a maintenance shows, as failing (1xxx) and ok (2xxx)
    for (int status : new int[] {0, 200, 404, 503}) {
      displayCodes.add(Integer.toString(1000 + status));
      displayCodes.add(Integer.toString(2000 + status));
    }
    // the other kinds: 600 + 10 x kind + observed (1 closed, 2 open, 3 neither)
    Matcher offsets = Pattern.compile("\\* 1000 \\+ (6[0-9]0)").matcher(recording);
    int kinds = 0;
    while (offsets.find()) {
      kinds++;
      for (int observed = 1; observed <= 3; observed++) {
        int code = Integer.parseInt(offsets.group(1)) + observed;
        displayCodes.add(Integer.toString(1000 + code));
        displayCodes.add(Integer.toString(2000 + code));
      }
    }
    assertThat(kinds).isGreaterThanOrEqualTo(2);

    int checkPanels = 0;
    for (JsonNode panel : Dashboards.panels(dashboard)) {
      String expr = panel.path("targets").path(0).path("expr").asText();
      JsonNode defaults = panel.path("fieldConfig").path("defaults");
      if (expr.contains("(migration:check_display:code{")) {
        checkPanels++;
        assertThat(valueMappings(defaults)).as(panel.path("title").asText())
            .containsAll(displayCodes);
        JsonNode unknown = rangeMappingFor(defaults, 0);
        assertThat(unknown.path("result").path("text").asText()).startsWith("Unknown");
        assertThat(unknown.path("result").path("color").asText()).isNotEqualTo("green");
        JsonNode steps = defaults.path("thresholds").path("steps");
        assertThat(steps.get(0).path("color").asText()).as("below 1000: unknown")
            .isNotEqualTo("green");
        assertThat(steps.toString()).contains("{\"color\":\"red\",\"value\":1000}",
            "{\"color\":\"green\",\"value\":2000}");
      } else if (expr.contains("(migration:check_reopening:code{")) {
        checkPanels++;
        assertThat(valueMappings(defaults)).contains("0", "1", "2", "3", "11", "12", "13");
        assertThat(mappingColor(defaults, "0")).isNotEqualTo("green");
        assertThat(mappingColor(defaults, "11")).isEqualTo("red");
        assertThat(mappingColor(defaults, "12")).isEqualTo("green");
      } else {
        continue;
      }
      assertThat(panel.path("repeat").asText()).isNotBlank();
      assertThat(panel.path("options").path("textMode").asText()).isEqualTo("value_and_name");
      assertThat(expr).as("titled from the configuration")
          .contains("group_left (title) max by (check, title) (migration_check_info)");
      assertThat(panel.path("targets").path(0).path("legendFormat").asText()).isEqualTo("{{title}}");
      assertThat(defaults.path("noValue").asText()).startsWith("Unknown");
    }
    assertThat(checkPanels).as("maintenance, connections and reopening").isEqualTo(3);
  }

  /**
   * The database panels sit in the section a night shift looks in: who is connected, who blocks
   * and the oldest transaction under the connections cards; the migration's wait events and
   * PostgreSQL's own progress in the migration section. Who is connected filters no connection
   * out: every connection the check counts is on a bar.
   */
  @Test
  void theDatabasePanelsSitInTheirSections() throws Exception {
    JsonNode dashboard = Dashboards.read(CONTROL_TOWER);
    Map<String, List<String>> bySection = new HashMap<>();
    String section = "";
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        section = panel.path("title").asText();
        continue;
      }
      for (JsonNode target : panel.path("targets")) {
        bySection.computeIfAbsent(section, key -> new ArrayList<>())
            .add(target.path("expr").asText());
      }
    }
    String connections = sectionStartingWith(bySection, "Database connections");
    String migration = sectionStartingWith(bySection, "Migration:");
    assertThat(bySection.get(connections)).anySatisfy(expr -> assertThat(expr)
        .contains("(migration_pg_connections)"));
    assertThat(bySection.get(connections)).anySatisfy(expr -> assertThat(expr)
        .contains("migration_pg_blocked_sessions_by_blocker"));
    assertThat(bySection.get(connections)).anySatisfy(expr -> assertThat(expr)
        .contains("migration_pg_oldest_transaction_start_timestamp_seconds"));
    assertThat(bySection.get(migration)).anySatisfy(expr -> assertThat(expr)
        .contains("migration_pg_migration_sessions"));
    assertThat(bySection.get(migration)).anySatisfy(expr -> assertThat(expr)
        .contains("migration_pg_progress_ratio"));
  }

  private static String sectionStartingWith(Map<String, List<String>> bySection, String start) {
    return bySection.keySet().stream().filter(title -> title.startsWith(start)).findFirst()
        .orElseThrow(() -> new AssertionError("no section " + start + " in " + bySection.keySet()));
  }

  @Test
  void theAlertPanelNamesEveryAlertInWords() throws Exception {
    JsonNode dashboard = Dashboards.read(CONTROL_TOWER);
    JsonNode alerts = Dashboards.panels(dashboard).stream()
        .filter(panel -> panel.path("targets").path(0).path("expr").asText().contains("(ALERTS{"))
        .findFirst().orElseThrow();
    Set<String> mapped = new HashSet<>();
    for (JsonNode override : alerts.path("fieldConfig").path("overrides")) {
      if (override.path("matcher").path("options").asText().equals("alertname")) {
        for (JsonNode property : override.path("properties")) {
          for (JsonNode mapping : property.path("value")) {
            mapping.path("options").fieldNames().forEachRemaining(mapped::add);
          }
        }
      }
    }
    for (Yaml.AlertRule rule : Yaml.alertRules(Project.file("prometheus/rules/migration-alerts.yml"))) {
      assertThat(mapped).as("words for " + rule.name()).contains(rule.name());
    }
  }

  /**
   * The HA setup of docs/operations.md: two exporters watching the same things, both scraped by
   * a real Prometheus with the project's rules. Every dashboard query then shows each phase,
   * check, gate, migration and connection once: no two series differ only by the replica, and
   * the connections of an application are counted once, not summed over replicas.
   */
  @Test
  void twoReplicasShowEverythingOnce(@TempDir Path dir) throws Exception {
    Path prometheusBinary = Tools.require("prometheus", "prometheus");
    ScriptedMigrationKind.Script database = new ScriptedMigrationKind.Script();
    database.connectionsOpen = false;
    database.progress = new StepProgress(0, false, Optional.of(Instant.now().minusSeconds(30)),
        OptionalDouble.of(0.4), Optional.empty(), Optional.of(Instant.now()), "rewriting answers");
    PgTestServer postgres = PgTestServer.start();
    List<AutoCloseable> resources = new ArrayList<>(List.of(postgres));
    try {
      postgres.createDatabase("tower");
      List<Connection> sessions = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("ApplicationName", "pix-api");
        sessions.add(DriverManager.getConnection(postgres.url("tower"), props));
      }
      sessions.forEach(session -> resources.add(0, session));
      LoopbackTarget front = LoopbackTarget.start().answer("/", Answer.status(503));
      resources.add(0, front);
      List<Exporter> replicas = new ArrayList<>();
      for (String replica : List.of("a", "b")) {
        Path config = Files.createDirectories(dir.resolve(replica)).resolve("tower.conf");
        Files.writeString(config, """
            server.listen = "127.0.0.1:0"
            phases.initial = migration
            defaults.interval = 1s
            apps.front.title = "Front-end"
            checks.front { app = front, title = "Pix App front-end", http.url = "%s" }
            sources.postgres.pg { url = "%s", user = %s, password = "%s", interval = 1s }
            sources.scripted.main.migrations.answers {
              title = "answers.id to bigint"
              steps = [{ name = alter, title = "Alter the column", expected-duration = 1h }]
            }
            """.formatted(front.url("/"), postgres.url("tower"), PgTestServer.EXPORTER_USER,
            PgTestServer.EXPORTER_PASSWORD));
        List<SourceKind> kinds = new ArrayList<>(Modules.sourceKinds());
        kinds.add(new ScriptedMigrationKind(database));
        ConfigLoader loader = new ConfigLoader(Modules.checkKinds(), kinds);
        Exporter exporter = Exporter.start(loader.load(config), WebConfig.PLAIN, loader,
            Clock.systemUTC());
        resources.add(0, exporter);
        replicas.add(exporter);
      }
      MonitoringProcess prometheus = startPrometheus(prometheusBinary, dir, replicas);
      resources.add(0, prometheus);

      // both replicas scraped, rules evaluated on both, the sessions seen by both
      for (String ready : List.of("count(up == 1) == 2",
          "count(migration:check_display:code{check=\"front\"}) == 2",
          "count(migration_pg_connections{application_name=\"pix-api\"}) == 2",
          "count(migration_step_index) == 2")) {
        Await.retrying(ready + "\nPrometheus log:\n" + prometheus.logTail(),
            () -> !query(prometheus, ready).isEmpty(), Duration.ofSeconds(90),
            Duration.ofMillis(500));
      }
      Map<String, String> values = Map.of("gate", "ready-to-migrate", "app", ".*",
          "maintenance_check", "front", "connections_check", "pg-connections",
          "reopening_check", "front");
      int answered = 0;
      for (Path file : Dashboards.files()) {
        JsonNode dashboard = Dashboards.read(file);
        for (JsonNode panel : Dashboards.panels(dashboard)) {
          for (JsonNode target : panel.path("targets")) {
            String where = dashboard.path("uid").asText() + " panel '" + panel.path("title")
                .asText() + "' " + target.path("refId").asText();
            String promql = Dashboards.substitute(target.path("expr").asText(), values, "1m");
            JsonNode result = query(prometheus, promql);
            answered += result.isEmpty() ? 0 : 1;
            boolean perReplica = target.path("legendFormat").asText().contains("{{instance}}");
            Set<String> seen = new HashSet<>();
            for (JsonNode series : result) {
              ObjectNode labels = ((ObjectNode) series.path("metric")).deepCopy();
              if (!perReplica) {
                assertThat(labels.has("instance")).as(where + " keeps the replica apart: "
                    + promql + " gives " + result).isFalse();
                labels.remove(List.of("instance", "job"));
              }
              assertThat(seen.add(labels.toString())).as(where + " shows " + labels
                  + " twice: " + promql + " gives " + result).isTrue();
            }
          }
        }
      }
      assertThat(answered).as("queries that returned data").isGreaterThan(20);

      JsonNode connected = query(prometheus, Dashboards.substitute(box(Dashboards.read(
          CONTROL_TOWER), "(migration_pg_connections)", 0).expr, values, "1m"));
      double pixApi = 0;
      for (JsonNode series : connected) {
        if (series.path("metric").path("application_name").asText().equals("pix-api")) {
          pixApi += series.path("value").get(1).asDouble();
        }
      }
      assertThat(pixApi).as("pix-api's 3 sessions, seen by 2 replicas: " + connected)
          .isEqualTo(3);
    } finally {
      for (AutoCloseable resource : resources) {
        resource.close();
      }
    }
  }

  private static MonitoringProcess startPrometheus(Path binary, Path dir, List<Exporter> replicas)
      throws Exception {
    ObjectNode config = (ObjectNode) Yaml.read(Project.file("prometheus/prometheus.yml"));
    Yaml.object(config.path("global")).put("scrape_interval", "1s").put("evaluation_interval", "1s");
    config.remove("alerting");
    ArrayNode ruleFiles = config.putArray("rule_files");
    ruleFiles.add(Project.file("prometheus/rules").toAbsolutePath() + "/*.yml");
    ObjectNode job = Yaml.object(config.path("scrape_configs").get(0));
    job.put("scrape_timeout", "1s");
    ArrayNode targets = Yaml.object(job.path("static_configs").get(0)).putArray("targets");
    replicas.forEach(replica -> targets.add("127.0.0.1:" + replica.port()));
    Path file = dir.resolve("prometheus.yml");
    Yaml.write(file, config);
    MonitoringProcess process = MonitoringProcess.start("prometheus", dir, List.of(
        binary.toString(), "--config.file=" + file,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
        "--web.listen-address=127.0.0.1:{port}"));
    process.awaitReady("/-/ready", Duration.ofSeconds(60));
    return process;
  }

  /** The result of an instant query; fails on an error answer (invalid PromQL). */
  private static JsonNode query(MonitoringProcess prometheus, String promql) throws Exception {
    HttpResponse<String> response = prometheus.get("/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode body = new ObjectMapper().readTree(response.body());
    assertThat(body.path("status").asText()).as("Prometheus on " + promql + ": "
        + response.body()).isEqualTo("success");
    return body.path("data").path("result");
  }

  /** A panel's place on the grid, and the repeat that may widen it into several lines. */
  private record Box(int id, String title, int x, int y, int w, int h, String repeat,
      int maxPerRow, String expr) {
    boolean overlaps(Box other) {
      return x < other.x + other.w && other.x < x + w && y < other.y + other.h && other.y < y + h;
    }
  }

  private static List<Box> boxes(JsonNode dashboard) {
    List<Box> boxes = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      JsonNode grid = panel.path("gridPos");
      boxes.add(new Box(panel.path("id").asInt(), panel.path("title").asText(),
          grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(),
          grid.path("h").asInt(), panel.path("repeat").asText(""),
          panel.path("maxPerRow").asInt(1), ""));
    }
    return boxes;
  }

  /**
   * The grid rows the dashboard takes once Grafana repeats panels: a panel repeated for n
   * values, maxPerRow to a line, takes ceil(n / maxPerRow) lines and pushes down what is below.
   */
  private static int bottom(JsonNode dashboard, Map<String, Integer> repeatCounts) {
    List<Box> boxes = boxes(dashboard);
    int bottom = 0;
    for (Box box : boxes) {
      int top = box.y;
      int height = box.h;
      for (Box repeated : boxes) {
        int extra = extraHeight(repeated, repeatCounts);
        if (repeated == box) {
          height += extra;
        } else if (box.y >= repeated.y + repeated.h) {
          top += extra;
        }
      }
      bottom = Math.max(bottom, top + height);
    }
    return bottom;
  }

  private static int extraHeight(Box box, Map<String, Integer> repeatCounts) {
    if (box.repeat.isEmpty()) {
      return 0;
    }
    int count = Math.max(1, repeatCounts.getOrDefault(box.repeat, 1));
    int lines = (count + box.maxPerRow - 1) / box.maxPerRow;
    return (lines - 1) * box.h;
  }

  /** How many values each repeat variable of the control tower takes for a configuration. */
  private static Map<String, Integer> repeatCounts(List<CheckDefinition> checks) {
    Map<String, Integer> counts = new HashMap<>();
    for (CheckDefinition check : checks) {
      switch (check.group()) {
        case "maintenance" -> {
          counts.merge("maintenance_check", 1, Integer::sum);
          counts.merge("reopening_check", 1, Integer::sum);
        }
        case "reopening" -> counts.merge("reopening_check", 1, Integer::sum);
        case "connections" -> counts.merge("connections_check", 1, Integer::sum);
        default -> { }
      }
    }
    return counts;
  }

  private static void collect(JsonNode node, String field, List<JsonNode> found) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> entry = fields.next();
        if (entry.getKey().equals(field)) {
          found.add(entry.getValue());
        } else {
          collect(entry.getValue(), field, found);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, field, found));
    }
  }

  private static Set<String> valueMappings(JsonNode fieldDefaults) {
    Set<String> values = new HashSet<>();
    for (JsonNode mapping : fieldDefaults.path("mappings")) {
      if (mapping.path("type").asText().equals("value")) {
        mapping.path("options").fieldNames().forEachRemaining(values::add);
      }
    }
    return values;
  }

  private static String mappingColor(JsonNode fieldDefaults, String value) {
    for (JsonNode mapping : fieldDefaults.path("mappings")) {
      JsonNode option = mapping.path("options").path(value);
      if (!option.isMissingNode()) {
        return option.path("color").asText();
      }
    }
    return "";
  }

  private static JsonNode rangeMappingFor(JsonNode fieldDefaults, double value) {
    for (JsonNode mapping : fieldDefaults.path("mappings")) {
      JsonNode options = mapping.path("options");
      if (mapping.path("type").asText().equals("range")
          && options.path("from").asDouble() <= value && value <= options.path("to").asDouble()) {
        return options;
      }
    }
    throw new AssertionError("no range mapping for " + value);
  }
}

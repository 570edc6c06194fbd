package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.deploy.Yaml.AlertRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files a team copies into its monitoring stack, checked by the programs that will read
 * them: promtool, amtool and docker-compose; and the promises the alert rules make (words,
 * severity, runbook, a unit test that fires and one that stays silent).
 */
class MonitoringConfigTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
  private static final Path ALERTS = Project.file("prometheus/rules/migration-alerts.yml");
  private static final String SCRAPE_JOB = "migration-exporter";
  private static final Pattern JOB_NAME = Pattern.compile("job_name:\\s*[\"']?([\\w.-]+)");
  /** Template actions: they may query series by name; the words around them may not. */
  private static final Pattern TEMPLATE_ACTION = Pattern.compile("\\{\\{.*?}}");

  @Test
  void prometheusAcceptsItsConfigurationAndRules() throws Exception {
    Path promtool = Tools.require("prometheus", "promtool");
    Tools.Result config = Tools.run(Project.root(), TOOL_TIMEOUT,
        List.of(promtool.toString(), "check", "config", "prometheus/prometheus.yml"));
    assertThat(config.exitCode()).as(config.output()).isZero();
    assertThat(config.output()).contains("SUCCESS: 2 rule files found");

    List<String> rules = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
    rules.addAll(files("prometheus/rules", ".yml"));
    Tools.Result checked = Tools.run(Project.root(), TOOL_TIMEOUT, rules);
    assertThat(checked.exitCode()).as(checked.output()).isZero();
    assertThat(checked.output()).doesNotContain("FAILED");
  }

  @Test
  void everyRuleUnitTestPasses() throws Exception {
    Path promtool = Tools.require("prometheus", "promtool");
    List<String> command = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
    command.addAll(files("prometheus/tests", ".test.yml"));
    Tools.Result result = Tools.run(Project.root(), TOOL_TIMEOUT, command);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void alertmanagerAcceptsItsConfigurationAndTemplates() throws Exception {
    Path amtool = Tools.require("prometheus-alertmanager", "amtool");
    Tools.Result result = Tools.run(Project.root(), TOOL_TIMEOUT,
        List.of(amtool.toString(), "check-config", "prometheus/alertmanager.yml"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    // a template glob that matched nothing would pass unnoticed: it must find the file
    assertThat(result.output()).contains("1 templates").doesNotContain("FAILED");
    assertThat(Files.list(Project.file("prometheus/templates"))).isNotEmpty();
  }

  @Test
  void composeFileIsValidWithAndWithoutTheDemoProfile() throws Exception {
    Path compose = Tools.require("docker-compose", "docker-compose");
    for (List<String> profile : List.of(List.<String>of(), List.of("--profile", "demo"))) {
      List<String> command = new ArrayList<>(List.of(compose.toString(), "-f",
          "docker-compose.yml"));
      command.addAll(profile);
      command.addAll(List.of("config", "-q"));
      Tools.Result result = Tools.run(Project.root(), TOOL_TIMEOUT, command);
      assertThat(result.exitCode()).as(String.join(" ", command) + "\n" + result.output())
          .isZero();
    }
  }

  @Test
  void composePinsEveryImageAndMountsProvisioningReadOnly() throws IOException {
    JsonNode services = Yaml.read(Project.file("docker-compose.yml")).path("services");
    services.fields().forEachRemaining(service -> {
      JsonNode definition = service.getValue();
      if (!definition.has("build")) {
        assertThat(definition.path("image").asText()).as(service.getKey())
            .matches("[a-z0-9./-]+:v?[0-9]+\\.[0-9]+\\.[0-9]+");
      }
      for (JsonNode volume : definition.path("volumes")) {
        String mount = volume.asText();
        if (mount.startsWith("./") || mount.startsWith("${")) {
          assertThat(mount).as(service.getKey() + " mounts files from the repository read-only")
              .endsWith(":ro");
        }
      }
    });
    assertThat(services.path("migration-demo").path("profiles").toString()).contains("demo");
  }

  @Test
  void theRulesDoNotDependOnTheScrapeJobsName() throws IOException {
    for (AlertRule alert : Yaml.alertRules(ALERTS)) {
      assertThat(alert.expr()).as(alert.name()).doesNotContain("job=", "job =~", "job=~");
    }
    assertThat(Files.readString(Project.file("prometheus/rules/migration-recording.yml")))
        .doesNotContain("job=");
  }

  /** Whoever copies a scrape snippet gets the name the dashboards and examples use. */
  @Test
  void everyScrapeSnippetInTheDocsUsesTheSameJobName() throws IOException {
    JsonNode prometheus = Yaml.read(Project.file("prometheus/prometheus.yml"));
    assertThat(prometheus.path("scrape_configs").get(0).path("job_name").asText())
        .isEqualTo(SCRAPE_JOB);
    List<Path> docs = new ArrayList<>(List.of(Project.file("README.md")));
    try (Stream<Path> files = Files.list(Project.file("docs"))) {
      files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    int snippets = 0;
    for (Path doc : docs) {
      Matcher jobs = JOB_NAME.matcher(Files.readString(doc));
      while (jobs.find()) {
        snippets++;
        assertThat(jobs.group(1)).as(Project.root().relativize(doc) + ": " + jobs.group())
            .isEqualTo(SCRAPE_JOB);
      }
    }
    assertThat(snippets).as("scrape snippets found in README.md and docs/").isGreaterThanOrEqualTo(3);
  }

  @Test
  void everyAlertSpeaksPlainlyWithSeverityAndRunbook() throws IOException {
    List<AlertRule> alerts = Yaml.alertRules(ALERTS);
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(14);
    for (AlertRule alert : alerts) {
      assertThat(alert.name()).startsWith("Migration");
      assertThat(alert.labels().path("severity").asText()).as(alert.name())
          .isIn("critical", "warning", "info");
      for (String annotation : List.of("title", "summary", "runbook", "resolved")) {
        String text = alert.annotations().path(annotation).asText();
        assertThat(text).as(alert.name() + " " + annotation).isNotBlank()
            // no raw numbers of seconds
            .doesNotContain("$value }}", "{{ $value}}");
        // words for people: no PromQL outside the template's queries
        assertThat(TEMPLATE_ACTION.matcher(text).replaceAll("")).as(alert.name() + " " + annotation)
            .doesNotContain("migration_");
      }
      // titles are shared by every alert of a chat message: they cannot name a check
      assertThat(alert.annotations().path("title").asText()).doesNotContain("{{");
    }
  }

  @Test
  void everyAlertHasAUnitTestWhereItFiresAndOneWhereItStaysSilent() throws IOException {
    Map<String, int[]> cases = new HashMap<>();   // alert -> {firing cases, silent cases}
    List<JsonNode> tests = new ArrayList<>();
    for (String file : files("prometheus/tests", ".test.yml")) {
      Yaml.read(Project.file(file)).path("tests").forEach(tests::add);
    }
    for (JsonNode test : tests) {
      for (JsonNode expectation : test.path("alert_rule_test")) {
        int[] counts = cases.computeIfAbsent(expectation.path("alertname").asText(),
            name -> new int[2]);
        counts[expectation.path("exp_alerts").isEmpty() ? 1 : 0]++;
      }
    }
    for (AlertRule alert : Yaml.alertRules(ALERTS)) {
      int[] counts = cases.getOrDefault(alert.name(), new int[2]);
      assertThat(counts[0]).as(alert.name() + ": test cases where it fires").isPositive();
      assertThat(counts[1]).as(alert.name() + ": test cases where it stays silent").isPositive();
    }
    assertThat(cases.keySet()).as("tests of alerts that do not exist")
        .isSubsetOf(Yaml.alertRules(ALERTS).stream().map(AlertRule::name).toList());
  }

  /** A night shift looks an alert's name up in docs/operations.md: each has its row there. */
  @Test
  void everyAlertIsExplainedInTheOperationsGuide() throws IOException {
    String guide = Files.readString(Project.file("docs/operations.md"));
    for (AlertRule alert : Yaml.alertRules(ALERTS)) {
      assertThat(guide).as("docs/operations.md explains " + alert.name() + " and what to do")
          .containsPattern("\\| `" + alert.name() + "` \\| " + alert.labels().path("severity")
              .asText() + " \\| [^|]+\\| [^|]+\\|");
    }
  }

  @Test
  void alertmanagerReadsTheWebhookFromAFileAndSaysWhenProblemsAreSolved() throws IOException {
    JsonNode config = Yaml.read(Project.file("prometheus/alertmanager.yml"));
    assertThat(config.path("global").path("slack_api_url_file").asText()).startsWith("/");
    assertThat(config.toString()).doesNotContain("hooks.slack.com", "api_url\":");
    JsonNode route = config.path("route");
    assertThat(route.path("group_by").toString()).contains("alertname");
    assertThat(Duration.parse("PT" + route.path("repeat_interval").asText().toUpperCase()))
        .as("a lasting problem is repeated a handful of times in 19 hours, not every few minutes")
        .isGreaterThanOrEqualTo(Duration.ofHours(1));
    for (JsonNode receiver : config.path("receivers")) {
      for (JsonNode slack : receiver.path("slack_configs")) {
        assertThat(slack.path("text").asText()).contains("migration.chat.text");
      }
    }
    assertThat(config.path("receivers").get(0).path("slack_configs").get(0)
        .path("send_resolved").asBoolean()).isTrue();
    // the exporter-down alert silences every other at once; the rules carry no job label to
    // be equal on
    JsonNode inhibit = config.path("inhibit_rules").get(0);
    assertThat(inhibit.path("source_matchers").toString()).contains("MigrationExporterDown");
    assertThat(inhibit.path("target_matchers").toString()).contains("Migration.+");
    assertThat(inhibit.path("equal").isMissingNode() || inhibit.path("equal").isEmpty()).isTrue();
  }

  private static List<String> files(String dir, String suffix) throws IOException {
    try (Stream<Path> paths = Files.list(Project.file(dir))) {
      return paths.map(path -> Project.root().relativize(path).toString())
          .filter(name -> name.endsWith(suffix)).sorted().toList();
    }
  }
}

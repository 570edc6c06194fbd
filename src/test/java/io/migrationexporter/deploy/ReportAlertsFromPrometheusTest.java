package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.report.DemoNight;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Cli;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report --prometheus}: a real Prometheus (Debian's) evaluating an alert that always fires
 * tells it in the incidents of the HTML, Markdown and JSON reports.
 */
class ReportAlertsFromPrometheusTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A run of 16 one-second evaluations: more than a report step of 15 s, so a step sees it. */
  private static final String FIRED_LONG_ENOUGH = "count_over_time(ALERTS{alertname="
      + "\"NightAlwaysFiring\",alertstate=\"firing\"}[1m]) >= 16";

  @TempDir
  Path dir;

  @Test
  void theAlertsThatFiredAreInTheIncidentsOfAllThreeFormats() throws Exception {
    Path prometheusBinary = Tools.require("prometheus", "prometheus");
    Files.writeString(dir.resolve("rules.yml"), """
        groups:
          - name: night
            rules:
              - alert: NightAlwaysFiring
                expr: vector(1)
                for: 0s
                labels:
                  severity: critical
                  migration: orders
        """);
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          evaluation_interval: 1s
        rule_files: [rules.yml]
        """);
    DemoNight.copyInto(dir);
    Instant started = Instant.now();
    try (MonitoringProcess prometheus = MonitoringProcess.start("prometheus", dir, List.of(
        prometheusBinary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
        "--web.listen-address=127.0.0.1:{port}"))) {
      prometheus.awaitReady("/-/ready", Duration.ofSeconds(90));
      Await.retrying("ALERTS shows NightAlwaysFiring for 16 s; log:\n" + prometheus.logTail(),
          () -> {
            JsonNode answer = JSON.readTree(prometheus.get("/api/v1/query?query="
                + URLEncoder.encode(FIRED_LONG_ENOUGH, StandardCharsets.UTF_8)).body());
            return !answer.path("data").path("result").isEmpty();
          }, Duration.ofSeconds(120), Duration.ofMillis(500));

      Path output = dir.resolve("out");
      Cli.Result result = Cli.run("report", "--journal", DemoNight.journalIn(dir).toString(),
          "--from", started.minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS)
              .toString(),
          "--to", Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS)
              .toString(),
          "--prometheus", prometheus.baseUrl(), "--output", output.toString());

      assertThat(result.exit()).as(result.err()).isZero();
      assertThat(result.err()).isEmpty();
      String html = Files.readString(output.resolve("night-report.html"));
      String incidentsHtml = html.substring(html.indexOf("<h2>Incidents</h2>"));
      assertThat(incidentsHtml).contains("<td>NightAlwaysFiring</td><td>critical</td>"
          + "<td>migration=orders</td>", "still firing");
      String markdown = Files.readString(output.resolve("night-report.md"));
      assertThat(markdown.substring(markdown.indexOf("## Incidents")))
          .contains("| NightAlwaysFiring | critical | migration=orders |");
      JsonNode alerts = JSON.readTree(output.resolve("night-report.json").toFile())
          .path("alerts");
      assertThat(alerts.path("read").asBoolean()).isTrue();
      JsonNode fired = alerts.path("fired").get(0);
      assertThat(fired.path("alert").asText()).isEqualTo("NightAlwaysFiring");
      assertThat(fired.path("severity").asText()).isEqualTo("critical");
      assertThat(fired.path("migration").asText()).isEqualTo("orders");
      assertThat(Instant.parse(fired.path("from").asText()))
          .isBetween(started.minus(Duration.ofMinutes(1)), Instant.now());
      assertThat(fired.has("to")).as("still firing: no end").isFalse();
    }
  }
}

package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.demo.DemoProcess;
import io.migrationexporter.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's whole night (fake Scalingo, Freshping and Datadog, two real PostgreSQL databases,
 * the simulated team and migration script) watched by a real Prometheus with the project's rules
 * and a real Alertmanager sending to a chat webhook, as a team would run it. The story runs
 * {@link #SPEED} times faster than at speed 1, and so do the rules' delays and time thresholds:
 * the chat must hear exactly what the night justifies (each database's migration finished,
 * once) and nothing else, no "Resolved" included; and no rule may even start to fire (pending)
 * on a condition the story does not have in that phase: an app still open in the maintenance is
 * a fact of the story, a stale source, a silent migration or a red check after the reopening
 * are not.
 */
class DemoNightEndToEndTest {
  private static final double SPEED = 10;
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration STORY = Duration.ofSeconds(150);
  private static final Duration POLL = Duration.ofMillis(500);
  /** Time in the done phase to let a condition that holds there show (as pending). */
  private static final Duration AFTER_DONE = Duration.ofSeconds(12);
  private static final String FINISHED = "Migration finished";
  /**
   * How far an alert's evaluation may lag the phase change seen at the same second (a slow
   * scrape on a busy machine included).
   */
  private static final Duration SKEW = Duration.ofSeconds(3);
  /** A comparison with, or an addition of, a number of seconds in an alert's expression. */
  private static final Pattern SECONDS_THRESHOLD = Pattern.compile("([>+] )(\\d{3,})\\b");
  /**
   * Alerts about the exporter's process, not the story: scrapes missed while the demo starts on
   * a busy machine (1 s timeout here) make them pending; firing, they would reach the chat.
   */
  private static final Set<String> MACHINE_ALERTS = Set.of("MigrationExporterDown",
      "MigrationReplicaDown");
  /** The alerts each phase's story justifies, were they to last: what the team is doing. */
  private static final Map<String, Set<String>> JUSTIFIED = Map.of(
      "preparation", Set.of(),
      // the team closes the production one chore after the other, Metabase last
      "maintenance", Set.of("MigrationAppStillOpen", "MigrationContainersStillRunning",
          "MigrationMonitoringNotPaused", "MigrationCheckNotClosed",
          "MigrationUnexpectedDatabaseConnections"),
      "migration", Set.of("MigrationFinished"),
      // the team opens everything again, one chore after the other
      "reopening", Set.of("MigrationFinished", "MigrationAppStillClosed",
          "MigrationMonitoringStillPaused"),
      "done", Set.of("MigrationFinished"));

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theNightReachesTheChatWithNoFalseAlertAndNoFalseAllClear(@TempDir Path dir)
      throws Exception {
    long started = System.nanoTime();
    try (MonitoringStack stack = new MonitoringStack(dir);
        DemoProcess demo = new DemoProcess(dir, "--speed", Double.toString(SPEED),
            "--rows", "20000", "--port", "0")) {
      stack.startAlertmanager();
      demo.awaitBanner(START);
      stack.startPrometheus(List.of(demo.port()), DemoNightEndToEndTest::atTheStorysSpeed,
          DemoNightEndToEndTest::thresholdsAtTheStorysSpeed);
      stack.awaitQuery("Prometheus scrapes the demo's exporter before the migration",
          "migration_phase{job=\"migration-exporter\", phase=~\"preparation|maintenance\"} == 1",
          START);

      demo.awaitPhase("done", STORY);
      Await.retrying("a while in the done phase", () -> isDoneFor(stack, AFTER_DONE), START,
          POLL);

      List<String> unjustified = unjustifiedAlerts(stack,
          Duration.ofNanos(System.nanoTime() - started).plusSeconds(5));
      assertThat(unjustified).as("alerts pending or firing that the story does not justify;"
          + " the demo's events: " + demo.get("/api/events?limit=1000")).isEmpty();

      // The chat: one message per database whose migration finished, one line each (a
      // migration followed twice, from the database and from the script's logs, is one), in
      // the team's time zone; nothing else, no all-clear.
      for (String migration : List.of("pix-bigint", "datawarehouse-bigint")) {
        stack.awaitChat(migration + " finished", attachment ->
            attachment.path("title").asText().equals(FINISHED)
                && attachment.path("text").asText().contains(migration + " is finished"), START);
      }
      List<String> lines = new ArrayList<>();
      // an unexpected message is easier to explain with the scrapes that failed and the events
      String context = "; failed scrapes: " + stack.queryRange("up == 0",
          Duration.ofNanos(System.nanoTime() - started)) + "; the demo's events: "
          + demo.get("/api/events?limit=1000");
      for (JsonNode attachment : stack.chatAttachments()) {
        assertThat(attachment.path("title").asText()).as(attachment + context)
            .isEqualTo(FINISHED);
        for (String line : attachment.path("text").asText().split("\n")) {
          if (line.startsWith("• ")) {
            assertThat(line).matches(".* \\(since \\d\\d:\\d\\d JST\\)");
            lines.add(line.substring(2, line.indexOf(" (since ")));
          }
        }
      }
      assertThat(lines).as("the chat's lines").containsExactlyInAnyOrder(
          "Migration pix-bigint is finished.", "Migration datawarehouse-bigint is finished.");
    }
  }

  /**
   * The shipped delay divided by the story's speed, at least Prometheus's 1 s evaluation; the
   * {@link #MACHINE_ALERTS} keep theirs, the delay that keeps a start on a busy machine quiet.
   */
  private static Duration atTheStorysSpeed(String alert, Duration shipped) {
    if (shipped.isZero() || MACHINE_ALERTS.contains(alert)) {
      return shipped;
    }
    Duration scaled = Duration.ofMillis((long) (shipped.toMillis() / SPEED));
    return scaled.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : scaled;
  }

  /**
   * The expression with its thresholds in seconds ("> 900", "+ 600") and its 30-minute windows
   * divided by the story's speed: "no migration started 15 minutes into the phase" is judged at
   * the story's pace too. The machine alerts keep theirs.
   */
  private static String thresholdsAtTheStorysSpeed(String alert, String expr) {
    if (MACHINE_ALERTS.contains(alert)) {
      return expr;
    }
    Matcher threshold = SECONDS_THRESHOLD.matcher(expr.replace("[30m]",
        "[" + Math.round(1800 / SPEED) + "s]"));
    StringBuilder scaled = new StringBuilder();
    while (threshold.find()) {
      threshold.appendReplacement(scaled, threshold.group(1)
          + Math.round(Long.parseLong(threshold.group(2)) / SPEED));
    }
    threshold.appendTail(scaled);
    return scaled.toString();
  }

  private static boolean isDoneFor(MonitoringStack stack, Duration span) throws Exception {
    return !stack.query("min_over_time(migration_phase{phase=\"done\"}[" + span.toSeconds()
        + "s]) == 1 and count_over_time(migration_phase{phase=\"done\"}[" + span.toSeconds()
        + "s]) >= " + (span.toSeconds() - 2)).isEmpty();
  }

  /**
   * Every alert that was pending or firing at some second of the night in a phase whose story
   * does not justify it, with its labels and the phase. An alert is judged against the phases
   * of the {@link #SKEW} before it too: it is evaluated on the scrape before the phase change.
   */
  private static List<String> unjustifiedAlerts(MonitoringStack stack, Duration span)
      throws Exception {
    NavigableMap<Long, String> phases = new TreeMap<>();
    for (JsonNode series : stack.queryRange("max by (phase) (migration_phase) == 1", span)) {
      for (JsonNode point : series.path("values")) {
        phases.put(point.get(0).asLong(), series.path("metric").path("phase").asText());
      }
    }
    Set<String> found = new TreeSet<>();
    for (JsonNode series : stack.queryRange("ALERTS", span)) {
      JsonNode labels = series.path("metric");
      String alert = labels.path("alertname").asText();
      if (MACHINE_ALERTS.contains(alert)) {
        continue;
      }
      for (JsonNode point : series.path("values")) {
        long at = point.get(0).asLong();
        Collection<String> around = phases.subMap(at - SKEW.toSeconds(), true, at, true).values();
        if (around.stream().noneMatch(phase -> JUSTIFIED.get(phase).contains(alert))) {
          found.add(around + ": " + labels);
        }
      }
    }
    return new ArrayList<>(found);
  }
}

package io.migrationexporter.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.demo.fakes.FakeDatadog;
import io.migrationexporter.demo.fakes.FakeKubernetes;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration's own pods, run as a Job or labelled: reported as metrics, and feeding the
 * migration's state beside the steps its own source (here a Datadog log) follows.
 */
class KubernetesMigrationPodsTest {
  static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.kube-test-token-000002";
  static final String DD_API_KEY = "dd-test-api-key-00000002";
  static final String DD_APP_KEY = "dd-test-app-key-00000002";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String BIGINT = "cluster=\"prod\",migration=\"bigint\",namespace=\"pix\"";
  static final String REHEARSAL = "cluster=\"prod\",migration=\"rehearsal\",namespace=\"pix\"";
  static final String POD = "pix-bigint-x7k2p";

  @TempDir
  Path dir;
  Path serviceAccount;
  FakeKubernetes fake;
  FakeDatadog logs;
  TestExporter exporter;

  @BeforeEach
  void fakes() throws Exception {
    serviceAccount = KubernetesSourceTest.serviceAccount(dir, TOKEN);
    fake = new FakeKubernetes();
    fake.start();
    fake.acceptToken(TOKEN);
    logs = new FakeDatadog(DD_API_KEY, DD_APP_KEY);
    logs.start();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    fake.close();
    logs.close();
  }

  /**
   * The exporter with the Datadog log following the steps of {@code bigint} and
   * {@code rehearsal} (two steps each, silent after {@code silentAfter} without a sign of life),
   * and the cluster watching their pods as {@code pods} says.
   */
  void startExporter(String pods, String silentAfter) throws Exception {
    String steps = "[ { name = copy, start = \"^%1$s copy started$\", done = \"^%1$s copy done$\" },"
        + " { name = swap, start = \"^%1$s swap started$\", done = \"^%1$s swap done$\" } ]";
    exporter = TestExporter.start(dir, """
        sources.datadog.pix {
          url = "%s", api-key = "%s", application-key = "%s", timeout = 1s
          logs.night {
            query = "service:pix-migration"
            window = 24h
            interval = 200ms
            migrations {
              bigint { silent-after = %s, steps = %s }
              rehearsal { steps = %s }
            }
          }
        }
        sources.kubernetes.prod {
          api-url = "%s"
          service-account-dir = "%s"
          interval = 200ms
          timeout = 1s
          migrations { %s }
        }
        checks {
          nightly { kubernetes-cronjobs { cluster = prod, names = [pix-nightly] } }
        }
        """.formatted(logs.url(), DD_API_KEY, DD_APP_KEY, silentAfter, steps.formatted("bigint"),
        steps.formatted("rehearsal"), fake.url(), serviceAccount, pods));
  }

  void line(Instant at, String message) {
    logs.log(at, "pix-migration-1", "pix-migration", message);
  }

  static String jobFinished(String condition) {
    return "migration_kubernetes_migration_job_finished{cluster=\"prod\",condition=\"" + condition
        + "\",migration=\"bigint\",namespace=\"pix\"}";
  }

  String awaitMetric(String series) {
    return Await.until(series, exporter::metrics, m -> m.contains(series + "\n"), WAIT);
  }

  JsonNode awaitState(String state) {
    return Await.until("migration bigint " + state, () -> exporter.migration("bigint"),
        m -> m.path("state").asText().equals(state), WAIT);
  }

  @Test
  void theJobsPodPhaseRestartsStartAndEndAreReported() throws Exception {
    fake.migrationJob("pix", "pix-bigint").pod("pix", "pix-api-1", "pix-api")
        .pod("pix", "pix-rehearsal-0", "pix-rehearsal")
        .cronJob("pix", "pix-nightly", true);
    startExporter("bigint { job = pix-bigint }, rehearsal { selector = \"app=pix-rehearsal\" }",
        "5m");

    awaitMetric("migration_kubernetes_migration_pods{" + BIGINT + ",pod_phase=\"Running\"} 1.0");
    String metrics = awaitMetric("migration_kubernetes_migration_restarts{" + BIGINT + "} 0.0");
    assertThat(metrics)
        .as("the app's own pod is not the migration's")
        .contains("migration_kubernetes_migration_pods{" + BIGINT + ",pod_phase=\"Pending\"} 0.0")
        .contains(jobFinished("Complete") + " 0.0")
        .contains("migration_kubernetes_migration_pods{" + REHEARSAL
            + ",pod_phase=\"Running\"} 1.0")
        .as("a migration selected by label has no Job to finish")
        .doesNotContain("condition=\"Complete\",migration=\"rehearsal\"");
    Matcher started = Pattern.compile("migration_kubernetes_migration_started_timestamp_seconds\\{"
        + Pattern.quote(BIGINT) + "} (\\S+)").matcher(metrics);
    assertThat(started.find()).isTrue();
    double secondsAgo = Instant.now().getEpochSecond() - Double.parseDouble(started.group(1));
    assertThat(secondsAgo).as("the pod's startTime, 10 min ago").isBetween(590.0, 700.0);

    fake.restartPod("pix", POD, 2);
    awaitMetric("migration_kubernetes_migration_restarts{" + BIGINT + "} 2.0");

    fake.finishJob("pix", "pix-bigint", "Failed");
    awaitMetric(jobFinished("Failed") + " 1.0");
    assertThat(awaitMetric("migration_kubernetes_migration_pods{" + BIGINT
        + ",pod_phase=\"Failed\"} 1.0"))
        .contains("migration_kubernetes_migration_pods{" + BIGINT + ",pod_phase=\"Running\"} 0.0")
        .contains(jobFinished("Complete") + " 0.0");
  }

  @Test
  void aRunningPodIsASignOfLifeAndAClusterThatCannotBeReadGivesNone() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // The log says the step started an hour ago and nothing since: silent, on the log alone.
    line(now.minus(Duration.ofHours(1)), "bigint copy started");
    fake.migrationJob("pix", "pix-bigint");
    startExporter("bigint { job = pix-bigint }", "10s");

    JsonNode running = awaitState("running");
    assertThat(Instant.parse(running.path("heartbeat_at").asText()))
        .as("the running pod, seen at the last list").isAfter(now.minusSeconds(5));
    assertThat(running.path("state_words").asText()).isEqualTo("Running");

    fake.revokeTokens();
    JsonNode silent = awaitState("silent");
    assertThat(silent.path("state_words").asText())
        .as("a cluster that refuses the token gives no sign of life").startsWith("Silent: ");
    assertThat(exporter.metrics())
        .contains("migration_state{migration=\"bigint\",state=\"silent\"} 1.0")
        .contains("migration_state{migration=\"bigint\",state=\"running\"} 0.0");
  }

  @Test
  void aRestartOrAFailedPodInterruptsTheStepWithKubernetesWordsUntilItStartsAgain()
      throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    line(now.minus(Duration.ofMinutes(20)), "bigint copy started");
    fake.migrationJob("pix", "pix-bigint");
    startExporter("bigint { job = pix-bigint }", "5m");
    awaitState("running");

    fake.restartPod("pix", POD, 1, "OOMKilled");
    assertThat(awaitState("interrupted").path("state_words").asText()).isEqualTo(
        "Interrupted: pod pix-bigint-x7k2p restarted 1 time, last: OOMKilled"
            + " (attempt 1 of step 1)");
    assertThat(awaitMetric("migration_state{migration=\"bigint\",state=\"interrupted\"} 1.0"))
        .contains("migration_state{migration=\"bigint\",state=\"running\"} 0.0");

    // The restarted container runs the step again: the restart is behind it.
    line(Instant.now(), "bigint copy started");
    awaitState("running");

    fake.failPod("pix", POD, "OOMKilled");
    assertThat(awaitState("interrupted").path("state_words").asText())
        .isEqualTo("Interrupted: pod pix-bigint-x7k2p failed: OOMKilled (attempt 1 of step 1)");
  }

  @Test
  void aJobThatEndsBeforeTheLastStepInterruptsAndOnlyTheStepsSayDone() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    line(now.minus(Duration.ofMinutes(20)), "bigint copy started");
    line(now.minus(Duration.ofMinutes(10)), "bigint copy done");
    line(now.minus(Duration.ofMinutes(10)), "bigint swap started");
    fake.migrationJob("pix", "pix-bigint");
    startExporter("bigint { job = pix-bigint }", "5m");
    awaitState("running");

    fake.finishJob("pix", "pix-bigint", "Complete");
    assertThat(awaitState("interrupted").path("state_words").asText())
        .isEqualTo("Interrupted: Job pix-bigint ended before the last step (attempt 1 of step 2)");

    line(Instant.now(), "bigint swap done");
    assertThat(awaitState("done").path("state_words").asText()).isEqualTo("Done");
  }

  @Test
  void podsOfAMigrationNobodyDeclaresAreRefused() throws Exception {
    String refusal = TestExporter.refusal(dir, """
        sources.kubernetes.prod {
          api-url = "%s", service-account-dir = "%s"
          migrations { bigint { job = pix-bigint } }
        }
        checks.nightly { kubernetes-cronjobs { cluster = prod, names = [pix-nightly] } }
        """.formatted(fake.url(), serviceAccount));
    assertThat(refusal).contains("sources.kubernetes.prod.migrations.bigint: no migration"
        + " 'bigint' is declared (declared: none): name the migration whose steps a source"
        + " follows, under its own name");
  }
}

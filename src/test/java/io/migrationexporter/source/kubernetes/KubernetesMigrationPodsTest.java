package io.migrationexporter.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.demo.fakes.FakeKubernetes;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration's own pods, run as a Job or labelled, reported as metrics. */
class KubernetesMigrationPodsTest {
  static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.kube-test-token-000002";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String BIGINT = "cluster=\"prod\",migration=\"bigint\",namespace=\"pix\"";
  static final String REHEARSAL = "cluster=\"prod\",migration=\"rehearsal\",namespace=\"pix\"";

  @TempDir
  Path dir;
  FakeKubernetes fake;
  TestExporter exporter;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  static String jobFinished(String condition) {
    return "migration_kubernetes_migration_job_finished{cluster=\"prod\",condition=\"" + condition
        + "\",migration=\"bigint\",namespace=\"pix\"}";
  }

  String awaitMetric(String series) {
    return Await.until(series, exporter::metrics, m -> m.contains(series + "\n"), WAIT);
  }

  @Test
  void theJobsPodPhaseRestartsStartAndEndAreReported() throws Exception {
    Path serviceAccount = Files.createDirectories(dir.resolve("serviceaccount"));
    Files.writeString(serviceAccount.resolve("token"), TOKEN + "\n");
    Files.writeString(serviceAccount.resolve("namespace"), "pix");
    fake = new FakeKubernetes();
    fake.start();
    fake.acceptToken(TOKEN);
    fake.migrationJob("pix", "pix-bigint").pod("pix", "pix-api-1", "pix-api")
        .pod("pix", "pix-rehearsal-0", "pix-rehearsal")
        .cronJob("pix", "pix-nightly", true);
    exporter = TestExporter.start(dir, """
        sources.kubernetes.prod {
          api-url = "%s"
          service-account-dir = "%s"
          interval = 200ms
          timeout = 1s
          migrations {
            bigint { job = pix-bigint }
            rehearsal { selector = "app=pix-rehearsal" }
          }
        }
        checks {
          nightly { kubernetes-cronjobs { cluster = prod, names = [pix-nightly] } }
        }
        """.formatted(fake.url(), serviceAccount));

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

    fake.restartPod("pix", "pix-bigint-x7k2p", 2);
    awaitMetric("migration_kubernetes_migration_restarts{" + BIGINT + "} 2.0");

    fake.finishJob("pix", "pix-bigint", "Failed");
    awaitMetric(jobFinished("Failed") + " 1.0");
    assertThat(awaitMetric("migration_kubernetes_migration_pods{" + BIGINT
        + ",pod_phase=\"Failed\"} 1.0"))
        .contains("migration_kubernetes_migration_pods{" + BIGINT + ",pod_phase=\"Running\"} 0.0")
        .contains(jobFinished("Complete") + " 0.0");
  }
}

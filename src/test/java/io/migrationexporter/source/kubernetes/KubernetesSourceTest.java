package io.migrationexporter.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.demo.fakes.FakeKubernetes;
import io.migrationexporter.demo.fakes.Fault;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesSourceTest {
  static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.kube-test-token-000001";
  static final String SOURCE = "kubernetes:prod";
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;
  Path serviceAccount;
  FakeKubernetes fake;
  TestExporter exporter;

  /** A pod's service account directory under {@code dir}: {@code token}, namespace pix. */
  static Path serviceAccount(Path dir, String token) throws Exception {
    Path account = Files.createDirectories(dir.resolve("serviceaccount"));
    Files.writeString(account.resolve("token"), token + "\n");
    Files.writeString(account.resolve("namespace"), "pix");
    return account;
  }

  @BeforeEach
  void fake() throws Exception {
    serviceAccount = serviceAccount(dir, TOKEN);
    fake = new FakeKubernetes();
    fake.start();
    fake.acceptToken(TOKEN);
    fake.deployment("pix", "pix-api", 3, 3, 3).pod("pix", "pix-api-1", "pix-api")
        .pod("pix", "pix-api-2", "pix-api").pod("pix", "pix-api-3", "pix-api")
        .statefulSet("pix", "pix-worker", 1, 1, 1).pod("pix", "pix-worker-0", "pix-worker")
        .replicaSet("pix", "pix-api-7d9c5b", 3, 3, 3, "pix-api")
        .replicaSet("pix", "pix-legacy", 1, 1, 1, null).pod("pix", "pix-legacy-x1", "pix-legacy")
        .daemonSet("pix", "pix-agent", 2, 2, 2).pod("pix", "pix-agent-a", "pix-agent")
        .pod("pix", "pix-agent-b", "pix-agent")
        .autoscaler("pix", "pix-api", "pix-api", 2)
        .cronJob("pix", "pix-nightly", false).job("pix", "pix-nightly-1", "pix-nightly", 0);
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    fake.close();
  }

  void startExporter(String interval, int pageSize) throws Exception {
    exporter = TestExporter.start(dir, """
        sources.kubernetes.prod {
          api-url = "%s"
          service-account-dir = "%s"
          interval = %s
          timeout = 1s
          page-size = %d
        }
        checks {
          api { kubernetes-workloads { cluster = prod, names = [pix-api, pix-worker] } }
          all-pix { kubernetes-workloads { cluster = prod, selector = "app.kubernetes.io/part-of=pix" } }
          agent { kubernetes-workloads { cluster = prod, kinds = [daemonsets], selector = "app in (pix-agent)" } }
          nightly { kubernetes-cronjobs { cluster = prod, names = [pix-nightly] } }
          gone { kubernetes-workloads { cluster = prod, names = [pix-gone] } }
          legacy {
            kubernetes-workloads { cluster = prod, kinds = [replicasets], names = [pix-legacy] }
          }
        }
        """.formatted(fake.url(), serviceAccount, interval, pageSize));
  }

  /** Awaits the check in {@code state} with words starting with {@code words}; returns them. */
  String awaitWords(String check, String state, String words) {
    JsonNode status = Await.until(check + " " + state + ": " + words,
        () -> exporter.checkStatus(check), s -> s.get("state").asText().equals(state)
            && s.get("value").asText().startsWith(words), WAIT);
    return status.get("value").asText();
  }

  @Test
  void workloadsAndCronJobsCloseAndOpenWithThePhases() throws Exception {
    startExporter("200ms", 2);
    exporter.enterPhase("preparation");
    awaitWords("api", "ok", "All 2 workloads ready");
    assertThat(awaitWords("all-pix", "ok", "All ")).as("a Deployment's ReplicaSet is not counted")
        .isEqualTo("All 4 workloads ready");
    awaitWords("legacy", "ok", "ReplicaSet pix-legacy: 1 of 1 ready");
    awaitWords("nightly", "ok", "CronJob pix-nightly: scheduled (*/5 * * * *)");
    assertThat(awaitWords("gone", "failing", "No "))
        .as("a missing workload is neither closed nor open")
        .isEqualTo("No Deployment, StatefulSet, DaemonSet, ReplicaSet named pix-gone in namespace"
            + " pix");

    exporter.enterPhase("maintenance");
    fake.deployment("pix", "pix-api", 0, 0, 0);
    fake.terminatePod("pix", "pix-api-1", 40);
    assertThat(awaitWords("api", "failing", "0 of 2 workloads scaled to zero, 1 ready;"))
        .startsWith("0 of 2 workloads scaled to zero, 1 ready; Deployment pix-api: 0 desired,"
            + " 3 pods left (1 terminating for 4");
    fake.deletePod("pix", "pix-api-2");
    fake.deletePod("pix", "pix-api-3");
    fake.statefulSet("pix", "pix-worker", 0, 0, 0);
    fake.deletePod("pix", "pix-worker-0");
    assertThat(awaitWords("api", "failing", "1 of 2")).as("a terminating pod still counts")
        .startsWith("1 of 2 workloads scaled to zero, 0 ready; Deployment pix-api: 0 desired,"
            + " 1 pod left (1 terminating for");
    // An evicted pod holds no container: it does not keep the workload open.
    fake.endPod("pix", "pix-api-1", "Failed");
    assertThat(awaitWords("api", "ok", "All 2 workloads scaled to zero")).isEqualTo(
        "All 2 workloads scaled to zero; HorizontalPodAutoscaler pix-api (min 2) would scale"
            + " Deployment pix-api back up from its first replica");
    assertThat(exporter.metrics())
        .contains("migration_kubernetes_workload_replicas{cluster=\"prod\",kind=\"deployment\","
            + "namespace=\"pix\",replicas=\"desired\",workload=\"pix-api\"} 0")
        .contains("migration_kubernetes_workload_pods{cluster=\"prod\",kind=\"daemonset\","
            + "namespace=\"pix\",state=\"active\",workload=\"pix-agent\"} 2")
        .contains("migration_kubernetes_objects{cluster=\"prod\",namespace=\"pix\","
            + "resource=\"pods\"} 4");
    awaitWords("agent", "failing", "DaemonSet pix-agent: 2 of 2 ready");
    fake.daemonSet("pix", "pix-agent", 0, 0, 0);
    fake.deletePod("pix", "pix-agent-a");
    fake.deletePod("pix", "pix-agent-b");
    awaitWords("agent", "ok", "DaemonSet pix-agent: scaled to zero, no pod left");

    fake.suspend("pix", "pix-nightly", true);
    fake.job("pix", "pix-nightly-2", "pix-nightly", 1);
    awaitWords("nightly", "failing", "CronJob pix-nightly: suspended, job still running: pix-nightly-2");
    fake.job("pix", "pix-nightly-2", "pix-nightly", 0);
    awaitWords("nightly", "ok", "CronJob pix-nightly: suspended");
    assertThat(exporter.metrics())
        .contains("migration_kubernetes_cronjob_suspended{cluster=\"prod\",cronjob=\"pix-nightly\","
            + "namespace=\"pix\"} 1");

    exporter.enterPhase("reopening");
    fake.deployment("pix", "pix-api", 3, 3, 1);
    assertThat(awaitWords("api", "failing", "1 of 2")).isEqualTo(
        "1 of 2 workloads scaled to zero, 0 ready; Deployment pix-api: 1 of 3 ready");
    fake.deployment("pix", "pix-api", 3, 3, 3);
    fake.statefulSet("pix", "pix-worker", 1, 1, 1);
    awaitWords("api", "ok", "All 2 workloads ready");
  }

  @Test
  void everyResourceIsListedOncePerIntervalWhateverTheNumberOfChecks() throws Exception {
    startExporter("500ms", 100);
    exporter.awaitSource(SOURCE, true, WAIT);
    fake.resetListCounters();
    long start = System.nanoTime();
    Await.until("a few refreshes",
        () -> fake.listsStarted(FakeKubernetes.listPath("pix", "pods")) >= 4, WAIT);
    long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
    int allowed = (int) (elapsedMs / 500) + 2;
    for (String plural : new String[] {"deployments", "statefulsets", "daemonsets", "replicasets",
        "pods", "horizontalpodautoscalers", "cronjobs", "jobs"}) {
      assertThat(fake.listsStarted(FakeKubernetes.listPath("pix", plural))).as(plural)
          .isLessThanOrEqualTo(allowed);
    }
  }

  @Test
  void anExpiredContinueTokenRestartsTheListOnceThenFails() throws Exception {
    startExporter("300ms", 1);
    exporter.enterPhase("preparation");
    awaitWords("api", "ok", "All 2 workloads ready");
    fake.expireContinueTokens(1);
    Await.until("the expired token was used", () -> fake.continuesStillToExpire() == 0, WAIT);
    int started = fake.listsStarted(FakeKubernetes.listPath("pix", "pods"));
    Await.until("two more refreshes",
        () -> fake.listsStarted(FakeKubernetes.listPath("pix", "pods")) >= started + 2, WAIT);
    assertThat(exporter.metrics()).as("the list started over instead of failing")
        .doesNotContainPattern("migration_source_errors_total\\{[^}]*kubernetes:prod[^}]*\\} [1-9]");
    fake.expireContinueTokens(1_000_000);
    JsonNode source = exporter.awaitSource(SOURCE, false, WAIT);
    assertThat(source.get("last_error").asText()).matches(
        "Kubernetes cluster prod expired the list of [a-z]+ twice in a row \\(HTTP 410\\)");
    fake.expireContinueTokens(0);
    exporter.awaitSource(SOURCE, true, WAIT);
  }

  @Test
  void aRotatedTokenIsReadAgainAndAForbiddenListNamesTheRbacRuleToGrant() throws Exception {
    startExporter("200ms", 100);
    exporter.awaitSource(SOURCE, true, WAIT);
    String rotated = "eyJhbGciOiJSUzI1NiJ9.kube-test-token-000002";
    fake.revokeTokens();
    fake.acceptToken(rotated);
    JsonNode refused = exporter.awaitSource(SOURCE, false, WAIT);
    assertThat(refused.get("last_error_kind").asText()).isEqualTo("auth");
    assertThat(refused.get("last_error").asText())
        .isEqualTo("Kubernetes cluster prod refused the token (HTTP 401)");
    Files.writeString(serviceAccount.resolve("token"), rotated);
    exporter.awaitSource(SOURCE, true, WAIT);

    fake.forbid("cronjobs");
    JsonNode forbidden = exporter.awaitSource(SOURCE, false, WAIT);
    assertThat(forbidden.get("last_error_kind").asText()).isEqualTo("forbidden");
    assertThat(forbidden.get("last_error").asText()).isEqualTo("Kubernetes cluster prod forbids"
        + " listing cronjobs.batch in namespace pix (HTTP 403): grant the verb list on cronjobs.batch");
    assertThat(exporter.checkStatus("nightly").get("state").asText()).isEqualTo("unknown");
  }

  @Test
  void aFieldOfTheWrongShapeIsABadPayloadNeverAZero() throws Exception {
    startExporter("200ms", 100);
    exporter.awaitSource(SOURCE, true, WAIT);
    fake.raw("deployments", "pix", """
        {"metadata":{"name":"pix-api","namespace":"pix","generation":1},
         "spec":{"replicas":"three","selector":{"matchLabels":{"app":"pix-api"}}},
         "status":{"observedGeneration":1}}""");
    JsonNode source = exporter.awaitSource(SOURCE, false, WAIT);
    assertThat(source.get("last_error_kind").asText()).isEqualTo("bad-payload");
    assertThat(source.get("last_error").asText()).isEqualTo("Kubernetes cluster prod listed an"
        + " unexpected shape: Deployment pix-api has a replicas that is not a count");
    assertThat(exporter.checkStatus("api").get("state").asText()).isEqualTo("unknown");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "UNAUTHORIZED, auth, Kubernetes cluster prod refused the token (HTTP 401)",
      "NOT_FOUND, not-found, Kubernetes cluster prod answered HTTP 404: not found",
      "RATE_LIMITED, rate-limited, 'Kubernetes cluster prod rate limit reached (HTTP 429), next try in 1s (Retry-After)'",
      "SERVER_ERROR, server, Kubernetes cluster prod failed (HTTP 500)",
      "HANG, timeout, Kubernetes cluster prod did not answer within 1s",
      "SLOW, timeout, Kubernetes cluster prod did not answer within 1s",
      "TRUNCATED_JSON, bad-payload, Kubernetes cluster prod answered with invalid or unexpected JSON (truncated)",
      "HTML, bad-payload, Kubernetes cluster prod answered with an HTML page instead of JSON (HTTP 200)",
      "HUGE_BODY, bad-payload, 'Kubernetes cluster prod answered with more than 4MiB, the body limit'",
  })
  void everyFaultIsClassifiedAndTheSourceRecoversOnceItClears(Fault fault, String kind,
      String words) throws Exception {
    fake.slowDelay(Duration.ofSeconds(3));
    startExporter("300ms", 100);
    exporter.enterPhase("preparation");
    awaitWords("api", "ok", "All 2 workloads ready");
    fake.fault(fault);
    JsonNode source = exporter.awaitSource(SOURCE, false, WAIT);
    assertThat(source.get("last_error_kind").asText()).isEqualTo(kind);
    assertThat(source.get("last_error").asText()).isEqualTo(words);
    assertThat(exporter.checkStatus("api").get("state").asText()).isEqualTo("unknown");
    assertThat(exporter.metrics()).contains("migration_source_up{source=\"kubernetes:prod\"} 0");
    fake.clearFaults();
    exporter.awaitSource(SOURCE, true, WAIT);
    awaitWords("api", "ok", "All 2 workloads ready");
  }
}

package io.migrationexporter.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.app.Modules;
import io.migrationexporter.config.Plan;
import io.migrationexporter.demo.fakes.FakeKubernetes;
import io.migrationexporter.testing.TestExporter;
import io.migrationexporter.web.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesConfigTest {
  @TempDir
  Path dir;

  @Test
  void aServiceAccountDirectoryGivesTheTokenAndTheDefaultNamespace() throws Exception {
    Path account = Files.createDirectories(dir.resolve("sa"));
    Files.writeString(account.resolve("token"), "token-0123456789");
    Files.writeString(account.resolve("namespace"), "pix-production\n");
    Path config = TestExporter.writeConfig(dir, """
        sources.kubernetes.prod { api-url = "https://127.0.0.1:6443", service-account-dir = sa }
        checks {
          a { kubernetes-workloads { cluster = prod, names = [pix-api] } }
          b { kubernetes-workloads { cluster = prod, selector = "app=pix-api" } }
          c { kubernetes-cronjobs { cluster = prod, namespace = other, names = [nightly] } }
        }
        """);
    Plan plan = Modules.loader().load(config);
    assertThat(plan.sources()).singleElement().satisfies(source -> assertThat(source.describe())
        .isEqualTo("Kubernetes cluster prod: https://127.0.0.1:6443/, token file " + account
            + "/token, system CAs, timeout 10s, body limit 4MiB, lists [cronjobs.batch in other,"
            + " jobs.batch in other, deployments.apps in pix-production,"
            + " statefulsets.apps in pix-production, daemonsets.apps in pix-production,"
            + " replicasets.apps in pix-production, pods in pix-production,"
            + " horizontalpodautoscalers.autoscaling in pix-production]"));
  }

  @Test
  void theClusterCertificateMustChainToTheConfiguredCa() throws Exception {
    TestPki pki = new TestPki(dir).server("api", "ec").server("other", "ec");
    Files.writeString(dir.resolve("token"), "token-0123456789");
    String config = """
        sources.kubernetes.prod {
          api-url = "%s", token-file = token, ca-file = %s, namespace = pix
          interval = 200ms, timeout = 2s
        }
        checks.api { kubernetes-workloads { cluster = prod, names = [pix-api] } }
        """;
    try (FakeKubernetes fake = apiServer(pki);
        TestExporter exporter = TestExporter.start(dir,
            config.formatted(fake.url(), pki.file("api.crt")))) {
      exporter.awaitSource("kubernetes:prod", true, Duration.ofSeconds(20));
    }
    // A server of its own, so no request of the first exporter still in flight can be counted.
    try (FakeKubernetes fake = apiServer(pki);
        TestExporter exporter = TestExporter.start(dir,
            config.formatted(fake.url(), pki.file("other.crt")))) {
      JsonNode refused = exporter.awaitSource("kubernetes:prod", false, Duration.ofSeconds(20));
      assertThat(refused.get("last_error_kind").asText()).isEqualTo("transport");
      assertThat(fake.listsStarted(FakeKubernetes.listPath("pix", "deployments")))
          .as("the token never went to a server the CA does not vouch for").isZero();
    }
  }

  private static FakeKubernetes apiServer(TestPki pki) throws Exception {
    FakeKubernetes fake = new FakeKubernetes();
    fake.startTls(pki.serverContext("api"));
    fake.acceptToken("token-0123456789");
    fake.deployment("pix", "pix-api", 0, 0, 0);
    return fake;
  }

  static String kubeconfig(String server, String caData, String user) {
    return """
        apiVersion: v1
        kind: Config
        current-context: prod
        clusters:
        - name: prod-cluster
          cluster:
            server: %s
            certificate-authority-data: %s
        contexts:
        - name: prod
          context: {cluster: prod-cluster, user: exporter, namespace: pix}
        users:
        - name: exporter
          user:
        %s
        """.formatted(server, caData, user.indent(4));
  }

  @Test
  void aKubeconfigTokenUserWithItsCaDataIsFollowedThroughTokenChanges() throws Exception {
    TestPki pki = new TestPki(dir).server("api", "ec");
    String caData = Base64.getEncoder().encodeToString(Files.readAllBytes(pki.file("api.crt")));
    try (FakeKubernetes fake = new FakeKubernetes()) {
      fake.startTls(pki.serverContext("api"));
      fake.acceptToken("kubeconfig-token-000001");
      fake.deployment("pix", "pix-api", 0, 0, 0);
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(fake.url(), caData, "token: kubeconfig-token-000001"));
      try (TestExporter exporter = TestExporter.start(dir, """
          sources.kubernetes.prod { kubeconfig = kubeconfig, interval = 200ms, timeout = 2s }
          checks.api { kubernetes-workloads { cluster = prod, names = [pix-api] } }
          """)) {
        Duration wait = Duration.ofSeconds(20);
        exporter.awaitSource("kubernetes:prod", true, wait);
        fake.revokeTokens();
        fake.acceptToken("kubeconfig-token-000002");
        exporter.awaitSource("kubernetes:prod", false, wait);
        Files.writeString(kubeconfig, kubeconfig(fake.url(), caData,
            "token: kubeconfig-token-000002"));
        exporter.awaitSource("kubernetes:prod", true, wait);
      }
    }
  }

  @Test
  void kubeconfigUsersTheExporterCannotActAsAreRefusedSayingWhatToUse() throws Exception {
    Files.writeString(dir.resolve("exec"), kubeconfig("https://127.0.0.1:6443", "", """
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: gke-gcloud-auth-plugin"""));
    assertThat(TestExporter.refusal(dir, """
        sources.kubernetes.prod { kubeconfig = exec }
        """)).contains("sources.kubernetes.prod.kubeconfig: user 'exporter' of " + dir.resolve("exec")
            + " authenticates with exec, which the exporter does not support: give it a token");
    // "not a certificate", base64-encoded
    Files.writeString(dir.resolve("good"), kubeconfig("https://127.0.0.1:6443",
        "bm90IGEgY2VydGlmaWNhdGU=", "token: kubeconfig-token-000001"));
    assertThat(TestExporter.refusal(dir, """
        sources.kubernetes.prod { kubeconfig = good, context = staging }
        """)).contains("sources.kubernetes.prod.context: no context 'staging' in");
    assertThat(TestExporter.refusal(dir, """
        sources.kubernetes.prod { kubeconfig = good, token-file = good }
        """)).contains("sources.kubernetes.prod.token-file: set either kubeconfig or token-file");
    assertThat(TestExporter.refusal(dir, """
        sources.kubernetes.prod { kubeconfig = good }
        """)).contains("sources.kubernetes.prod.kubeconfig: cannot read the certificate authority"
            + " of cluster 'prod-cluster'");
  }

  @Test
  void badSettingsAreOneLineNamingTheKey() throws Exception {
    Files.writeString(dir.resolve("token"), "token-0123456789");
    String source = "sources.kubernetes.prod { api-url = \"https://127.0.0.1:6443\","
        + " token-file = token }\n";
    assertThat(TestExporter.refusal(dir, """
        sources.kubernetes.prod { service-account-dir = nowhere }
        """)).contains("sources.kubernetes.prod: not running in a Kubernetes pod (no"
            + " KUBERNETES_SERVICE_HOST): set api-url and token-file");
    assertThat(TestExporter.refusal(dir, """
        sources.kubernetes.prod { api-url = "https://127.0.0.1:6443", token-file = missing }
        """)).contains("sources.kubernetes.prod.token-file: no readable token file");
    assertThat(TestExporter.refusal(dir, """
        sources.kubernetes.prod { api-url = "https://127.0.0.1:6443", token-file = token,
          ca-file = token }
        """)).contains("sources.kubernetes.prod.ca-file: cannot read the CA certificates of");
    assertThat(TestExporter.refusal(dir, source + """
        checks.c { kubernetes-workloads { cluster = prod, names = [a], selector = "app=a" } }
        """)).contains("checks.c.kubernetes-workloads: select with exactly one of");
    assertThat(TestExporter.refusal(dir, source + """
        checks.c { kubernetes-workloads { cluster = prod, selector = "app=a,=b" } }
        """)).contains("checks.c.kubernetes-workloads.selector: '=b' is not a label requirement");
    assertThat(TestExporter.refusal(dir, source + """
        checks.c { kubernetes-workloads { cluster = prod, names = [a], kinds = [jobs] } }
        """)).contains("checks.c.kubernetes-workloads.kinds: unknown workload kind 'jobs'");
    assertThat(TestExporter.refusal(dir, source + """
        checks.c { kubernetes-cronjobs { cluster = staging, names = [a] } }
        """)).contains("checks.c.kubernetes-cronjobs.cluster: no cluster 'staging' under"
            + " sources.kubernetes");
  }

  @Test
  void aMigrationsPodsAreSelectedByExactlyOneOfJobAndSelector() throws Exception {
    Files.writeString(dir.resolve("token"), "token-0123456789");
    String source = "sources.kubernetes.prod { api-url = \"https://127.0.0.1:6443\","
        + " token-file = token, namespace = pix\n";
    assertThat(TestExporter.refusal(dir, source + """
        migrations.bigint { job = pix-bigint, selector = "app=pix" } }
        """)).contains("sources.kubernetes.prod.migrations.bigint: select the migration's pods"
            + " with exactly one of");
    assertThat(TestExporter.refusal(dir, source + """
        migrations.bigint { selector = "app=a,=b" } }
        """)).contains("sources.kubernetes.prod.migrations.bigint.selector: '=b' is not a label");
    assertThat(TestExporter.refusal(dir, source + """
        migrations.bigint { job = pix-bigint, jobs = [x] } }
        """)).contains("sources.kubernetes.prod.migrations.bigint").contains("jobs");
    Path config = TestExporter.writeConfig(dir, source + """
        migrations.bigint { job = pix-bigint }
        migrations.rehearsal { selector = "app=pix-rehearsal", namespace = staging } }
        sources.datadog.pix {
          site = eu, api-key = dd-key-0123456789, application-key = dd-app-0123456789
          logs.night {
            query = "service:pix-migration"
            migrations {
              bigint { steps = [ { name = copy, start = "^copy started$" } ] }
              rehearsal { steps = [ { name = copy, start = "^copy started$" } ] }
            }
          }
        }
        """);
    Plan plan = Modules.loader().load(config);
    assertThat(plan.sources()).filteredOn(s -> s.id().equals("kubernetes:prod")).singleElement()
        .satisfies(s -> assertThat(s.describe())
            .endsWith("lists [pods in pix, jobs.batch in pix, pods in staging]"));
    assertThat(plan.migrations()).extracting(m -> m.processSourceId().orElseThrow())
        .as("the pods feed the state of the migrations of the same names")
        .containsExactly("kubernetes:prod", "kubernetes:prod");
  }

  @Test
  void labelSelectorsMatchAsKubectlDoes() {
    LabelSelector selector = LabelSelector.parse("app=pix, tier!=web,env in (prod, staging),!legacy");
    assertThat(selector.matches(Map.of("app", "pix", "env", "prod"))).isTrue();
    assertThat(selector.matches(Map.of("app", "pix", "env", "prod", "tier", "web")))
        .isFalse();
    assertThat(selector.matches(Map.of("app", "pix", "env", "dev"))).isFalse();
    assertThat(selector.matches(Map.of("app", "pix", "env", "prod", "legacy", "")))
        .isFalse();
    assertThat(LabelSelector.parse("app").matches(Map.of("app", ""))).isTrue();
  }
}

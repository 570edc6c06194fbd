package io.migrationexporter.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.app.Modules;
import io.migrationexporter.config.Plan;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Files;
import java.nio.file.Path;
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
    try {
      assertThat(plan.sources()).singleElement().satisfies(source -> assertThat(source.describe())
          .isEqualTo("Kubernetes cluster prod: https://127.0.0.1:6443/, token file " + account
              + "/token, system CAs, timeout 10s, body limit 4MiB, lists [cronjobs.batch in other,"
              + " jobs.batch in other, deployments.apps in pix-production,"
              + " statefulsets.apps in pix-production, daemonsets.apps in pix-production, pods in"
              + " pix-production]"));
    } finally {
      plan.closeSources();
    }
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
        checks.c { kubernetes-workloads { cluster = prod, names = [a], kinds = [replicasets] } }
        """)).contains("checks.c.kubernetes-workloads.kinds: unknown workload kind 'replicasets'");
    assertThat(TestExporter.refusal(dir, source + """
        checks.c { kubernetes-cronjobs { cluster = staging, names = [a] } }
        """)).contains("checks.c.kubernetes-cronjobs.cluster: no cluster 'staging' under"
            + " sources.kubernetes");
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

package io.migrationexporter.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.migrationexporter.app.Modules;
import io.migrationexporter.config.Plan;
import io.migrationexporter.deploy.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/kubernetes/base as Debian's {@code kubectl kustomize} renders it. */
class KubernetesManifestsTest {
  static final Path BASE = Path.of("deploy/kubernetes/base");
  static List<JsonNode> rendered;

  @TempDir
  Path dir;

  @BeforeAll
  static void render() throws Exception {
    // not in Debian 12's archive, so .ci/run cannot install it: where the machine has none, the
    // manifests are not rendered, and the test says so rather than fail the build
    Path kubectl = Tools.find("kubectl").orElse(null);
    Assumptions.assumeTrue(kubectl != null, "kubectl is not installed; skipping the manifests");
    Process process = new ProcessBuilder(kubectl.toString(), "kustomize", BASE.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize " + BASE).isZero();
    rendered = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
        .<JsonNode>readValues(new String(out, StandardCharsets.UTF_8)).readAll();
  }

  static JsonNode only(String kind) {
    List<JsonNode> found = rendered.stream().filter(r -> r.path("kind").asText().equals(kind))
        .toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  @Test
  void theRoleGrantsListOnExactlyTheResourcesTheChecksRead() {
    Set<String> granted = new TreeSet<>();
    for (JsonNode rule : only("Role").path("rules")) {
      assertThat(rule.path("verbs").toString()).isEqualTo("[\"list\"]");
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          granted.add(group.asText().isEmpty() ? resource.asText()
              : resource.asText() + "." + group.asText());
        }
      }
    }
    assertThat(granted).isEqualTo(Arrays.stream(Resource.values()).map(Resource::rbacName)
        .collect(Collectors.toCollection(TreeSet::new)));
    JsonNode binding = only("RoleBinding");
    assertThat(binding.path("subjects").get(0).path("name").asText())
        .isEqualTo(only("ServiceAccount").path("metadata").path("name").asText());
    assertThat(only("Deployment").path("spec").path("template").path("spec")
        .path("serviceAccountName").asText()).isEqualTo("migration-exporter");
  }

  @Test
  void theDeploymentRunsTheImageAsTheDockerfileDoesWithProbesOnServedPaths() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    JsonNode pod = only("Deployment").path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    assertThat(dockerfile).contains("EXPOSE " + container.path("ports").get(0)
        .path("containerPort").asInt());
    assertThat(dockerfile).contains("USER " + pod.path("securityContext").path("runAsUser").asInt()
        + ":" + pod.path("securityContext").path("runAsGroup").asInt());
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isTrue();
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/-/healthy");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/-/ready");
    String server = Files.readString(
        Path.of("src/main/java/io/migrationexporter/server/HttpServer.java"));
    assertThat(server).contains(".get(\"/-/healthy\"", ".get(\"/-/ready\"");
    List<String> mounts = new ArrayList<>();
    container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
    assertThat(mounts).contains("/var/lib/migration-exporter", "/etc/migration-exporter");
    assertThat(container.path("args").toString()).contains(
        "/etc/migration-exporter/migration-exporter.conf");
  }

  @Test
  void theConfigMapHoldsAConfigurationThatValidatesWithThePhaseInIt() throws Exception {
    String config = only("ConfigMap").path("data").path("migration-exporter.conf").asText();
    assertThat(config).contains("current = preparation");
    // Outside a pod the in-cluster source cannot be built: the same cluster from a token file.
    Files.writeString(dir.resolve("token"), "token-0123456789");
    String outside = config.replace("sources.kubernetes.cluster {", "sources.kubernetes.cluster {"
        + " api-url = \"https://127.0.0.1:6443\", token-file = token, namespace = pix")
        .replace("/var/lib/migration-exporter/", "");
    Path file = dir.resolve("migration-exporter.conf");
    Files.writeString(file, outside);
    Plan plan = Modules.loader().load(file);
    try {
      assertThat(plan.checks()).extracting(c -> c.name()).containsExactly("api", "jobs");
    } finally {
      plan.closeSources();
    }
  }
}

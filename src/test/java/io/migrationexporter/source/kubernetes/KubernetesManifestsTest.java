package io.migrationexporter.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/kubernetes/, the base and its overlays, as {@code kubectl kustomize} renders them. */
class KubernetesManifestsTest {
  static final Path BASE = Path.of("deploy/kubernetes/base");
  static final Path OPERATOR = Path.of("deploy/kubernetes/prometheus-operator");
  static final Path SIDECAR = Path.of("deploy/kubernetes/grafana-sidecar");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static Path kubectl;
  static List<JsonNode> rendered;

  @TempDir
  Path dir;

  @BeforeAll
  static void render() throws Exception {
    // not in Debian 12's archive, so .ci/run cannot install it: where the machine has none, the
    // manifests are not rendered, and the test says so rather than fail the build
    kubectl = Tools.find("kubectl").orElse(null);
    Assumptions.assumeTrue(kubectl != null, "kubectl is not installed; skipping the manifests");
    rendered = kustomize(BASE);
  }

  static List<JsonNode> kustomize(Path dir) throws Exception {
    Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize " + dir).isZero();
    return YAML.readerFor(JsonNode.class)
        .<JsonNode>readValues(new String(out, StandardCharsets.UTF_8)).readAll();
  }

  static List<JsonNode> ofKind(List<JsonNode> resources, String kind) {
    return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
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
    assertThat(plan.checks()).extracting(c -> c.name()).containsExactly("api", "jobs");
  }

  @Test
  void theOperatorOverlayCarriesEveryRuleFileAsItIsAndScrapesTheService() throws Exception {
    List<JsonNode> overlay = kustomize(OPERATOR);
    Map<String, JsonNode> groupsByRule = new TreeMap<>();
    ofKind(overlay, "PrometheusRule").forEach(r -> groupsByRule.put(
        r.path("metadata").path("name").asText(), r.path("spec").path("groups")));
    Map<String, JsonNode> groupsByFile = new TreeMap<>();
    try (Stream<Path> files = Files.list(Path.of("prometheus/rules"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        groupsByFile.put(file.getFileName().toString().replace(".yml", ""),
            YAML.readTree(file.toFile()).path("groups"));
      }
    }
    assertThat(groupsByFile).isNotEmpty();
    assertThat(groupsByRule).isEqualTo(groupsByFile);

    JsonNode service = ofKind(overlay, "Service").get(0);
    JsonNode monitor = ofKind(overlay, "ServiceMonitor").get(0).path("spec");
    monitor.path("selector").path("matchLabels").fields().forEachRemaining(label ->
        assertThat(service.path("metadata").path("labels").path(label.getKey()).asText())
            .isEqualTo(label.getValue().asText()));
    assertThat(service.path("spec").path("ports").get(0).path("name").asText())
        .isEqualTo(monitor.path("endpoints").get(0).path("port").asText());
    // the job label is the Service's name, the job name the rules and dashboards are written for
    assertThat(service.path("metadata").path("name").asText()).isEqualTo("migration-exporter");
    assertThat(monitor.path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
  }

  @Test
  void theCheckedInPrometheusRulesAreWhatRenderRulesWritesNow() throws Exception {
    Path fresh = dir.resolve("prometheusrules.yaml");
    Process process = new ProcessBuilder(OPERATOR.resolve("render-rules").toString(),
        fresh.toString()).redirectErrorStream(true).start();
    String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(said).isZero();
    assertThat(Files.readString(OPERATOR.resolve("prometheusrules.yaml")))
        .as("deploy/kubernetes/prometheus-operator/prometheusrules.yaml is stale: run render-rules")
        .isEqualTo(Files.readString(fresh));
  }

  @Test
  void theSidecarOverlayHoldsEveryDashboardLabelledForTheSidecar() throws Exception {
    Map<String, JsonNode> rendered = new TreeMap<>();
    for (JsonNode map : ofKind(kustomize(SIDECAR), "ConfigMap")) {
      assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText())
          .isEqualTo("1");
      map.path("data").fields().forEachRemaining(entry -> rendered.put(entry.getKey(),
          readJson(entry.getValue().asText())));
    }
    Map<String, JsonNode> files = new TreeMap<>();
    try (Stream<Path> paths = Files.list(Path.of("grafana/dashboards"))) {
      for (Path file : paths.filter(f -> f.toString().endsWith(".json")).toList()) {
        files.put(file.getFileName().toString(), new ObjectMapper().readTree(file.toFile()));
      }
    }
    assertThat(files).isNotEmpty();
    assertThat(rendered).isEqualTo(files);
  }

  private static JsonNode readJson(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError("a dashboard ConfigMap holds no JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The API's typed models (fabric8's, generated from the Kubernetes and Prometheus Operator
   * OpenAPI schemas) of every kind the base and overlays render: a field of the wrong type, or one
   * the schema does not have (a misspelling the API server would drop), fails.
   */
  static final Map<String, Class<?>> MODELS = Map.of(
      "v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class,
      "v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class,
      "v1/Service", io.fabric8.kubernetes.api.model.Service.class,
      "apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class,
      "rbac.authorization.k8s.io/v1/Role", io.fabric8.kubernetes.api.model.rbac.Role.class,
      "rbac.authorization.k8s.io/v1/RoleBinding",
      io.fabric8.kubernetes.api.model.rbac.RoleBinding.class,
      "monitoring.coreos.com/v1/ServiceMonitor",
      io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class,
      "monitoring.coreos.com/v1/PrometheusRule",
      io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class);

  /** Reads into the models with unknown fields refused: their catch-all map is switched off. */
  static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public Boolean hasAnySetter(Annotated annotated) {
          return false;
        }
      });

  static void matchesItsSchema(JsonNode resource) throws IOException {
    String type = resource.path("apiVersion").asText() + "/" + resource.path("kind").asText();
    assertThat(MODELS).as("a model for " + type).containsKey(type);
    STRICT.treeToValue(resource, MODELS.get(type));
  }

  @Test
  void everyRenderedObjectMatchesTheApisSchema() throws Exception {
    List<JsonNode> all = new ArrayList<>(rendered);
    all.addAll(kustomize(OPERATOR));
    all.addAll(kustomize(SIDECAR));
    for (JsonNode resource : all) {
      matchesItsSchema(resource);
    }
    assertThat(all.stream().map(r -> r.path("kind").asText()).collect(Collectors.toSet()))
        .as("every kind was read").containsExactlyInAnyOrderElementsOf(MODELS.keySet().stream()
            .map(type -> type.substring(type.lastIndexOf('/') + 1)).toList());

    ObjectNode misspelt = only("Deployment").deepCopy();
    ((ObjectNode) misspelt.path("spec").path("template").path("spec").path("containers").get(0))
        .set("readinessprobe", misspelt.path("spec").path("template").path("spec")
            .path("containers").get(0).path("readinessProbe"));
    assertThatThrownBy(() -> matchesItsSchema(misspelt)).as("a field the schema does not have")
        .hasMessageContaining("readinessprobe");
    ObjectNode wrongType = only("Deployment").deepCopy();
    ((ObjectNode) wrongType.path("spec")).put("replicas", "two");
    assertThatThrownBy(() -> matchesItsSchema(wrongType)).as("a field of the wrong type")
        .hasMessageContaining("replicas");
  }
}

package io.migrationexporter.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import io.migrationexporter.config.PlanBuilder;
import io.migrationexporter.config.SourceKind;
import io.migrationexporter.source.saas.CallSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * {@code sources.kubernetes.<cluster> { }}: one source per cluster. By default the pod's own
 * service account (token, CA and namespace mounted under {@code service-account-dir}, API server
 * from {@code KUBERNETES_SERVICE_HOST}); or {@code api-url} with {@code token-file} and
 * {@code ca-file}; or {@code kubeconfig} and {@code context}.
 */
public final class KubernetesSourceKind implements SourceKind {
  static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  /** Objects per page: 100 pods of about 10 KiB each stay well under the 4 MiB body limit. */
  static final int DEFAULT_PAGE_SIZE = 100;
  /** Pages read one after the other in a refresh's usual time. */
  private static final int CALLS_IN_SERIES = 3;

  @Override
  public String name() {
    return "kubernetes";
  }

  @Override
  public List<MetricDef> families() {
    return List.of(KubernetesSource.OBJECTS, KubernetesSource.WORKLOAD_REPLICAS,
        KubernetesSource.WORKLOAD_PODS, KubernetesSource.CRONJOB_SUSPENDED,
        KubernetesSource.CRONJOB_ACTIVE_JOBS, KubernetesSource.MIGRATION_PODS,
        KubernetesSource.MIGRATION_RESTARTS, KubernetesSource.MIGRATION_STARTED,
        KubernetesSource.MIGRATION_JOB_FINISHED);
  }

  @Override
  public void declare(String cluster, ConfigNode node, PlanBuilder plan) {
    Reach reach = node.has("kubeconfig") ? fromKubeconfig(node) : direct(node);
    String namespace = node.has("namespace") ? node.string("namespace")
        : reach.namespace().orElse("default");
    int pageSize = node.integer("page-size", 1, 10_000, DEFAULT_PAGE_SIZE);
    CallSettings calls = CallSettings.read(node);
    SourceSchedule schedule = plan.schedule(node, DEFAULT_INTERVAL,
        calls.refreshTimeout(CALLS_IN_SERIES));
    String id = KubernetesSource.id(cluster);
    plan.addSource(new SourceDefinition(id, schedule, new KubernetesSource.Settings(cluster,
        reach.access(), namespace, pageSize, calls)), node,
        node.has("kubeconfig") ? "kubeconfig" : "api-url");
    node.children("migrations").forEach((migration, block) -> node.problems().attempt(() -> {
      KubernetesSelection.MigrationPods pods = migrationPods(migration, block, namespace);
      plan.request(id, pods.key(), pods);
      plan.processWatched(migration, id, block);
    }));
  }

  /** {@code migrations.<m> { job = "pix-bigint" }} or {@code { selector = "app=pix-db" }}. */
  private static KubernetesSelection.MigrationPods migrationPods(String migration,
      ConfigNode block, String clusterNamespace) {
    if (block.has("job") == block.has("selector")) {
      throw block.failHere("select the migration's pods with exactly one of: job = \"pix-bigint\","
          + " selector = \"app=pix-migration\"");
    }
    String selector = LabelSelector.setting(block);
    KubernetesSelection.MigrationPods pods = new KubernetesSelection.MigrationPods(migration,
        block.string("namespace", clusterNamespace),
        block.has("job") ? List.of(block.string("job")) : List.of(), selector);
    block.finish();
    return pods;
  }

  /** How to reach the cluster and its default namespace. */
  private record Reach(KubernetesAccess access, Optional<String> namespace) {}

  /** The pod's service account, or {@code api-url} with {@code token-file} and {@code ca-file}. */
  private static Reach direct(ConfigNode node) {
    Path accountDir = node.has("service-account-dir") ? node.file("service-account-dir")
        : SERVICE_ACCOUNT_DIR;
    HttpUrl apiUrl = node.has("api-url") ? HttpUrl.get(node.url("api-url").toString())
        : inCluster(node);
    Path tokenFile = node.has("token-file") ? node.file("token-file") : accountDir.resolve("token");
    if (!Files.isRegularFile(tokenFile) || !Files.isReadable(tokenFile)) {
      throw node.fail(node.has("token-file") ? "token-file" : "service-account-dir",
          "no readable token file " + tokenFile + "; outside a cluster set api-url and token-file");
    }
    Optional<Path> caFile = node.has("ca-file") ? Optional.of(node.file("ca-file"))
        : node.has("api-url") ? Optional.empty() : Optional.of(accountDir.resolve("ca.crt"));
    if (caFile.isPresent()) {
      try {
        KubernetesAccess.trustOf(caFile.get());
      } catch (IOException | GeneralSecurityException e) {
        throw node.fail(node.has("ca-file") ? "ca-file" : "service-account-dir", "cannot read the"
            + " CA certificates of " + caFile.get() + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    return new Reach(new KubernetesAccess(apiUrl, tokenFile, caFile), namespaceOf(accountDir));
  }

  /**
   * {@code kubeconfig} and {@code context} (default: its current context), for users with a token
   * ({@code token} or {@code tokenFile}), a client certificate, or both; exec plugins and auth
   * providers are refused, saying what to use instead.
   */
  private static Reach fromKubeconfig(ConfigNode node) {
    for (String key : List.of("api-url", "token-file", "ca-file", "service-account-dir")) {
      if (node.has(key)) {
        throw node.fail(key, "set either kubeconfig or " + key + ", not both");
      }
    }
    Path file = node.file("kubeconfig");
    JsonNode root;
    try {
      root = Kubeconfig.read(file);
    } catch (IOException e) {
      throw node.fail("kubeconfig", "cannot read " + file + ": " + e.getMessage());
    }
    String contextName = node.string("context", root.path("current-context").asText(""));
    String key = node.has("context") ? "context" : "kubeconfig";
    JsonNode context = Kubeconfig.named(root, "contexts", contextName).orElseThrow(() ->
        node.fail(key, "no context '" + contextName + "' in " + file));
    String clusterName = context.path("cluster").asText("");
    JsonNode cluster = Kubeconfig.named(root, "clusters", clusterName).orElseThrow(() ->
        node.fail(key, "context '" + contextName + "' names no cluster of " + file));
    HttpUrl server = HttpUrl.parse(cluster.path("server").asText(""));
    if (server == null) {
      throw node.fail(key, "cluster '" + clusterName + "' of " + file + " has no server URL");
    }
    if (cluster.path("insecure-skip-tls-verify").asBoolean(false)) {
      throw node.fail(key, "cluster '" + clusterName + "' skips TLS verification, which would"
          + " send the token to whoever answers: give it its certificate-authority");
    }
    String userName = context.path("user").asText("");
    JsonNode user = Kubeconfig.named(root, "users", userName).orElseThrow(() ->
        node.fail(key, "context '" + contextName + "' names no user of " + file));
    for (String unsupported : List.of("exec", "auth-provider")) {
      if (user.has(unsupported)) {
        throw node.fail(key, "user '" + userName + "' of " + file + " authenticates with "
            + unsupported + ", which the exporter does not support: give it a token (a service"
            + " account's, in tokenFile), a client certificate, or set api-url and token-file");
      }
    }
    Optional<KubeconfigCertificate> certificate;
    try {
      certificate = KubeconfigCertificate.of(user, file);
    } catch (KubeconfigCertificate.Unusable e) {
      throw node.fail(key, "user '" + userName + "' of " + file + ": " + e.getMessage());
    }
    Optional<Path> tokenFile = Optional.of(file);
    Optional<String> tokenUser = Optional.of(userName);
    if (user.path("tokenFile").isTextual()) {
      tokenFile = Optional.of(file.resolveSibling(user.path("tokenFile").asText()));
      tokenUser = Optional.empty();
    } else if (!user.path("token").isTextual()) {
      if (certificate.isEmpty()) {
        throw node.fail(key, "user '" + userName + "' of " + file + " has no token, tokenFile"
            + " or client certificate");
      }
      tokenFile = Optional.empty();
      tokenUser = Optional.empty();
    }
    Optional<Path> caFile = Optional.empty();
    Optional<String> caData = Optional.empty();
    if (cluster.path("certificate-authority").isTextual()) {
      caFile = Optional.of(file.resolveSibling(cluster.path("certificate-authority").asText()));
    } else if (cluster.path("certificate-authority-data").isTextual()) {
      caFile = Optional.of(file);
      caData = Optional.of(cluster.path("certificate-authority-data").asText());
    }
    KubernetesAccess access = new KubernetesAccess(server, tokenFile, tokenUser, caFile, caData,
        certificate.map(c -> new KubernetesAccess.ClientCertificate(c.identity(), file, userName)));
    try {
      access.trust();
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw node.fail(key, "cannot read the certificate authority of cluster '" + clusterName
          + "' in " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    Optional<String> namespace = context.path("namespace").isTextual()
        ? Optional.of(context.path("namespace").asText()) : Optional.empty();
    return new Reach(access, namespace);
  }

  /** The API server as a pod sees it, from the variables Kubernetes sets in every container. */
  private static HttpUrl inCluster(ConfigNode node) {
    String host = System.getenv("KUBERNETES_SERVICE_HOST");
    String port = System.getenv("KUBERNETES_SERVICE_PORT");
    if (host == null || host.isBlank()) {
      throw node.failHere("not running in a Kubernetes pod (no KUBERNETES_SERVICE_HOST): set"
          + " api-url and token-file to reach a cluster from outside");
    }
    String authority = host.contains(":") ? "[" + host + "]" : host;
    HttpUrl url = HttpUrl.parse("https://" + authority + ":" + (port == null ? "443" : port) + "/");
    if (url == null) {
      throw node.failHere("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT do not make a URL");
    }
    return url;
  }

  private static Optional<String> namespaceOf(Path accountDir) {
    Path file = accountDir.resolve("namespace");
    try {
      if (Files.isRegularFile(file) && Files.size(file) < 254) {
        String namespace = Files.readString(file, StandardCharsets.UTF_8).strip();
        return namespace.isEmpty() ? Optional.empty() : Optional.of(namespace);
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** A cluster is read for the checks on it only: its example is a workloads check's. */
  @Override
  public KindExample example(ExampleTarget target) {
    return KubernetesCheckKinds.workloads().example(target);
  }

  /** The {@code sources.kubernetes.example} block pointed at {@code target}, with its token file. */
  static KindExample cluster(ExampleTarget target) {
    return new KindExample("""
        sources.kubernetes.example {
          api-url = "%s", token-file = example-token, namespace = example
          interval = %s, timeout = %s
        }
        """.formatted(target.url(), target.interval(), target.timeout()),
        Map.of("example-token", target.secret("kubernetes-token")), false);
  }
}

package io.migrationexporter.source.kubernetes;

import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.PlanBuilder;
import io.migrationexporter.config.SourceKind;
import io.migrationexporter.source.saas.CallSettings;
import io.migrationexporter.source.saas.SaasHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * {@code sources.kubernetes.<cluster> { }}: one source per cluster. By default the pod's own
 * service account (token, CA and namespace mounted under {@code service-account-dir}, API server
 * from {@code KUBERNETES_SERVICE_HOST}); or {@code api-url} with {@code token-file} and
 * {@code ca-file}.
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
  public void declare(String cluster, ConfigNode node, PlanBuilder plan) {
    Path accountDir = node.has("service-account-dir") ? node.file("service-account-dir")
        : SERVICE_ACCOUNT_DIR;
    HttpUrl apiUrl = node.has("api-url") ? HttpUrl.get(node.url("api-url").toString())
        : inCluster(node, accountDir);
    Path tokenFile = node.has("token-file") ? node.file("token-file") : accountDir.resolve("token");
    if (!Files.isRegularFile(tokenFile) || !Files.isReadable(tokenFile)) {
      throw node.fail(node.has("token-file") ? "token-file" : "service-account-dir",
          "no readable token file " + tokenFile + "; outside a cluster set api-url and token-file");
    }
    Optional<Path> caFile = node.has("ca-file") ? Optional.of(node.file("ca-file"))
        : node.has("api-url") ? Optional.empty() : Optional.of(accountDir.resolve("ca.crt"));
    SaasHttp http = SaasHttp.shared(plan);
    if (caFile.isPresent()) {
      try {
        http = http.trusting(KubernetesAccess.trustOf(caFile.get()));
      } catch (IOException | GeneralSecurityException e) {
        throw node.fail(node.has("ca-file") ? "ca-file" : "service-account-dir", "cannot read the"
            + " CA certificates of " + caFile.get() + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    String namespace = node.has("namespace") ? node.string("namespace")
        : namespaceOf(accountDir).orElse("default");
    int pageSize = node.integer("page-size", 1, 10_000, DEFAULT_PAGE_SIZE);
    CallSettings calls = CallSettings.read(node);
    SourceSchedule schedule = plan.schedule(node, DEFAULT_INTERVAL,
        calls.refreshTimeout(CALLS_IN_SERIES));
    KubernetesSource source = new KubernetesSource(new KubernetesSource.Settings(cluster,
        new KubernetesAccess(apiUrl, tokenFile, caFile), namespace, pageSize, calls), schedule,
        calls.api(http, "Kubernetes cluster " + cluster, schedule.minInterval()));
    plan.addSource(source, node, "api-url");
  }

  /** The API server as a pod sees it, from the variables Kubernetes sets in every container. */
  private static HttpUrl inCluster(ConfigNode node, Path accountDir) {
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
}

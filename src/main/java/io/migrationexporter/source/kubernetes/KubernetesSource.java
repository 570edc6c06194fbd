package io.migrationexporter.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.source.saas.Answer;
import io.migrationexporter.source.saas.CallSettings;
import io.migrationexporter.source.saas.SaasApi;
import io.migrationexporter.source.saas.SaasHttp;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * One Kubernetes cluster. Each refresh lists, with {@code limit}/{@code continue} paging, every
 * resource kind the checks need once per namespace, whatever the number of checks, and judges every
 * selection on those lists. Reads only: the service account needs {@code list} and nothing else.
 */
final class KubernetesSource implements Source {
  /** More pages than this means a continue token that loops. */
  static final int MAX_PAGES = 200;

  static final MetricDef OBJECTS = MetricDef.gauge("migration_kubernetes_objects",
      "Objects of the resource listed in the namespace at the last refresh.",
      "cluster", "namespace", "resource");
  static final MetricDef WORKLOAD_REPLICAS = MetricDef.gauge("migration_kubernetes_workload_replicas",
      "Replicas of a selected workload: desired, current (created) and ready.",
      "cluster", "namespace", "kind", "workload", "replicas");
  static final MetricDef WORKLOAD_PODS = MetricDef.gauge("migration_kubernetes_workload_pods",
      "Pods of a selected workload still holding containers, active or terminating.",
      "cluster", "namespace", "kind", "workload", "state");
  static final MetricDef CRONJOB_SUSPENDED = MetricDef.gauge("migration_kubernetes_cronjob_suspended",
      "1 when the selected CronJob is suspended, 0 when it is scheduled.",
      "cluster", "namespace", "cronjob");
  static final MetricDef CRONJOB_ACTIVE_JOBS = MetricDef.gauge(
      "migration_kubernetes_cronjob_active_jobs",
      "Jobs of the selected CronJob with active pods.", "cluster", "namespace", "cronjob");

  static final MetricDef MIGRATION_PODS = MetricDef.gauge("migration_kubernetes_migration_pods",
      "Pods of a migration run as a Job or labelled pods, by phase (Pending, Running, Succeeded,"
          + " Failed, Unknown).", "cluster", "namespace", "migration", "pod_phase");
  static final MetricDef MIGRATION_RESTARTS = MetricDef.gauge(
      "migration_kubernetes_migration_restarts",
      "Container restarts of a migration's pods, summed.", "cluster", "namespace", "migration");
  static final MetricDef MIGRATION_STARTED = MetricDef.gauge(
      "migration_kubernetes_migration_started_timestamp_seconds",
      "When the newest pod of a migration started; absent while it has none.",
      "cluster", "namespace", "migration");
  static final MetricDef MIGRATION_JOB_FINISHED = MetricDef.gauge(
      "migration_kubernetes_migration_job_finished",
      "1 when the migration's Job has the condition (Complete or Failed), else 0.",
      "cluster", "namespace", "migration", "condition");

  /**
   * The cluster as declared; the checks on it and its migrations add what they select as
   * {@link KubernetesSelection} requests.
   */
  record Settings(String cluster, KubernetesAccess access, String namespace, int pageSize,
      CallSettings calls) implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      SaasHttp http = SaasHttp.shared(shared);
      // both read when the configuration was loaded: only a file changed since then fails here
      try {
        Optional<X509TrustManager> trust = access.trust();
        if (access.clientCertificate().isPresent()) {
          http = http.presenting(access.clientCertificate().get().keys(), trust);
        } else if (trust.isPresent()) {
          http = http.trusting(trust.get());
        }
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot read the CA of cluster " + cluster + " ("
            + e.getClass().getSimpleName() + ")");
      } catch (KubeconfigCertificate.Unusable e) {
        throw new IllegalStateException("the client certificate of cluster " + cluster
            + " cannot be used any more: " + e.getMessage());
      }
      return new KubernetesSource(this, definition.requests(KubernetesSelection.class),
          calls.api(http, "Kubernetes cluster " + cluster, definition.schedule().minInterval()));
    }

    @Override
    public String describe(SourceDefinition definition) {
      TreeSet<Listing> listings = listings(definition.requests(KubernetesSelection.class));
      return "Kubernetes cluster " + cluster + ": " + access.apiUrl()
          + ", " + access.credentials() + access.caFile()
              .map(ca -> ", CA " + ca).orElse(", system CAs") + ", " + calls
          + ", lists " + (listings.isEmpty() ? "nothing" : listings.stream()
              .map(l -> l.resource().rbacName() + " in " + l.namespace()).toList());
    }
  }

  /** One resource of one namespace, listed once per refresh. */
  record Listing(Resource resource, String namespace) implements Comparable<Listing> {
    @Override
    public int compareTo(Listing other) {
      int byNamespace = namespace.compareTo(other.namespace);
      return byNamespace != 0 ? byNamespace : resource.compareTo(other.resource);
    }
  }

  private final Settings settings;
  private final List<KubernetesSelection> selections;
  private final TreeSet<Listing> listings;
  private final SaasApi api;

  KubernetesSource(Settings settings, List<KubernetesSelection> selections, SaasApi api) {
    this.settings = settings;
    this.selections = List.copyOf(selections);
    this.listings = listings(selections);
    this.api = api;
  }

  static String id(String cluster) {
    return "kubernetes:" + cluster;
  }

  /** What the selections need listed: each resource once per namespace. */
  private static TreeSet<Listing> listings(List<KubernetesSelection> selections) {
    TreeSet<Listing> listings = new TreeSet<>();
    for (KubernetesSelection selection : selections) {
      for (Resource resource : selection.resources()) {
        listings.add(new Listing(resource, selection.namespace()));
      }
    }
    return listings;
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    Optional<String> token;
    try {
      token = settings.access().token();
    } catch (SourceException e) {
      return CompletableFuture.failedFuture(e);
    }
    // One list after the other: the API server is shared with the cluster's own controllers, and
    // the first failure ends the refresh with its own words.
    Map<Listing, List<JsonNode>> listed = new TreeMap<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Listing listing : listings) {
      chain = chain.thenCompose(done -> list(listing, token, null, new ArrayList<>(), 1, false,
          context)).thenAccept(items -> listed.put(listing, items));
    }
    return chain.thenApply(done -> reading(listed, context.clock().instant()));
  }

  private CompletableFuture<List<JsonNode>> list(Listing listing, Optional<String> token,
      String from, List<JsonNode> collected, int page, boolean restarted, RefreshContext context) {
    HttpUrl.Builder url = listing.resource().listUrl(settings.access().apiUrl(), listing.namespace())
        .newBuilder().addQueryParameter("limit", String.valueOf(settings.pageSize()));
    if (from != null) {
      url.addQueryParameter("continue", from);
    }
    Request.Builder request = new Request.Builder().url(url.build())
        .header("Accept", "application/json")
        .header("User-Agent", "migration-exporter");
    token.ifPresent(bearer -> request.header("Authorization", "Bearer " + bearer));
    return api.send(request.build(), context).thenCompose(answer -> {
      if (answer.status() == 410 && from != null && !restarted) {
        // The continue token expired (etcd compacted past it): the list starts over, once.
        return list(listing, token, null, new ArrayList<>(), 1, true, context);
      }
      JsonNode root = answer.ok() ? answer.json(JsonNode.class) : null;
      if (root == null) {
        throw SaasApi.failure(kind(answer), refusal(answer, listing));
      }
      JsonNode items = root.path("items");
      if (!items.isArray()) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, api.service() + " answered a list of "
            + listing.resource().plural + " without an items array");
      }
      items.forEach(collected::add);
      JsonNode next = root.path("metadata").path("continue");
      if (!next.isTextual() || next.asText().isEmpty()) {
        return CompletableFuture.completedFuture(collected);
      }
      if (page >= MAX_PAGES) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, api.service() + " listed more than "
            + MAX_PAGES + " pages of " + listing.resource().plural);
      }
      return list(listing, token, next.asText(), collected, page + 1, restarted, context);
    });
  }

  private static ErrorKind kind(Answer answer) {
    return answer.status() == 403 ? ErrorKind.FORBIDDEN : answer.exception().kind();
  }

  /** Why a list was refused; a 403 names the RBAC verb and resource to grant. */
  private String refusal(Answer answer, Listing listing) {
    return switch (answer.status()) {
      case 401 -> api.service() + " refused the token (HTTP 401)";
      case 403 -> api.service() + " forbids listing " + listing.resource().rbacName()
          + " in namespace " + listing.namespace() + " (HTTP 403): grant the verb list on "
          + listing.resource().rbacName();
      case 410 -> api.service() + " expired the list of " + listing.resource().plural
          + " twice in a row (HTTP 410)";
      default -> answer.exception().getMessage();
    };
  }

  private Reading reading(Map<Listing, List<JsonNode>> listed, Instant now) {
    String cluster = settings.cluster();
    Reading.Builder reading = Reading.builder();
    listed.forEach((listing, items) -> reading.sample(OBJECTS, items.size(), cluster,
        listing.namespace(), listing.resource().plural));
    KubernetesJudge judge;
    try {
      judge = new KubernetesJudge(cluster, listed, now);
      for (KubernetesSelection selection : selections) {
        if (selection instanceof KubernetesSelection.MigrationPods migration) {
          reading.process(migration.migration(), judge.migration(migration));
        } else {
          reading.observation(selection.key(), judge.judge(selection));
        }
      }
    } catch (KubernetesObjects.WrongShape e) {
      throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, api.service() + " listed an unexpected shape: "
          + e.getMessage());
    }
    judge.samples().forEach((sample, value) -> reading.sample(sample.metric(), value,
        sample.labels().toArray(String[]::new)));
    return reading.build();
  }

  /** A sample the judge computed, once per series whatever the number of selections. */
  record Sample(MetricDef metric, List<String> labels) {}

  static Map<Resource, List<JsonNode>> byResource(Map<Listing, List<JsonNode>> listed,
      String namespace) {
    Map<Resource, List<JsonNode>> result = new EnumMap<>(Resource.class);
    listed.forEach((listing, items) -> {
      if (listing.namespace().equals(namespace)) {
        result.put(listing.resource(), items);
      }
    });
    return result;
  }
}

package io.migrationexporter.demo.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake Kubernetes API server: bearer tokens, namespaced lists of Deployments, StatefulSets,
 * DaemonSets, ReplicaSets, pods, CronJobs and Jobs in the JSON of the API reference (fields at zero omitted as
 * the real server does), {@code limit}/{@code continue} paging, RBAC refusals (403 Status naming
 * the verb and resource) and expired continue tokens (410).
 */
public final class FakeKubernetes extends FakeServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> GROUPS = Map.of(
      "deployments", "apps", "statefulsets", "apps", "daemonsets", "apps", "replicasets", "apps",
      "pods", "", "cronjobs", "batch", "jobs", "batch", "horizontalpodautoscalers", "autoscaling");
  private static final Map<String, String> KINDS = Map.of(
      "deployments", "Deployment", "statefulsets", "StatefulSet", "daemonsets", "DaemonSet",
      "replicasets", "ReplicaSet", "horizontalpodautoscalers", "HorizontalPodAutoscaler",
      "pods", "Pod", "cronjobs", "CronJob", "jobs", "Job");

  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
  /** Objects by "namespace/plural", each by name. */
  private final Map<String, Map<String, ObjectNode>> objects = new ConcurrentHashMap<>();
  private final AtomicLong resourceVersion = new AtomicLong(1000);
  private final AtomicInteger continuesToExpire = new AtomicInteger();
  private final Map<String, AtomicInteger> listsStarted = new ConcurrentHashMap<>();

  public FakeKubernetes acceptToken(String token) {
    tokens.add(token);
    return this;
  }

  public void revokeTokens() {
    tokens.clear();
  }

  /** Lists of {@code plural} ("deployments") are refused with 403 as RBAC would. */
  public void forbid(String plural) {
    forbidden.add(plural);
  }

  /** The next {@code count} requests with a continue token get 410 Expired. */
  public void expireContinueTokens(int count) {
    continuesToExpire.set(count);
  }

  public FakeKubernetes deployment(String namespace, String name, int desired, int current,
      int ready) {
    return replicated("deployments", namespace, name, desired, current, ready);
  }

  public FakeKubernetes statefulSet(String namespace, String name, int desired, int current,
      int ready) {
    return replicated("statefulsets", namespace, name, desired, current, ready);
  }

  /** A ReplicaSet, managed by the Deployment {@code deployment} unless that is null. */
  public FakeKubernetes replicaSet(String namespace, String name, int desired, int current,
      int ready, String deployment) {
    replicated("replicasets", namespace, name, desired, current, ready);
    if (deployment != null) {
      update("replicasets", namespace, name,
          item -> ownedBy(item, "apps/v1", "Deployment", deployment));
    }
    return this;
  }

  /** An autoscaler of the Deployment {@code deployment} between {@code min} and 10 replicas. */
  public FakeKubernetes autoscaler(String namespace, String name, String deployment, int min) {
    ObjectNode item = meta("horizontalpodautoscalers", namespace, name, deployment);
    ObjectNode spec = item.putObject("spec");
    ObjectNode target = spec.putObject("scaleTargetRef");
    target.put("apiVersion", "apps/v1");
    target.put("kind", "Deployment");
    target.put("name", deployment);
    spec.put("minReplicas", min);
    spec.put("maxReplicas", 10);
    ObjectNode metric = spec.putArray("metrics").addObject();
    metric.put("type", "Resource");
    metric.putObject("resource").put("name", "cpu").putObject("target").put("type", "Utilization")
        .put("averageUtilization", 70);
    item.putObject("status").put("currentReplicas", 0).put("desiredReplicas", 0);
    put("horizontalpodautoscalers", namespace, item);
    return this;
  }

  /** A DaemonSet scheduled on {@code desired} nodes. */
  public FakeKubernetes daemonSet(String namespace, String name, int desired, int current,
      int ready) {
    ObjectNode item = workload("daemonsets", namespace, name);
    ObjectNode status = item.putObject("status");
    status.put("currentNumberScheduled", current);
    status.put("numberMisscheduled", 0);
    status.put("desiredNumberScheduled", desired);
    status.put("numberReady", ready);
    status.put("observedGeneration", 1);
    positive(status, "numberAvailable", ready);
    put("daemonsets", namespace, item);
    return this;
  }

  /** A running pod of the workload {@code app} (labelled {@code app=<app>}). */
  public FakeKubernetes pod(String namespace, String name, String app) {
    ObjectNode item = meta("pods", namespace, name, app);
    ObjectNode spec = item.putObject("spec");
    spec.put("nodeName", "node-1");
    spec.put("terminationGracePeriodSeconds", 30);
    ObjectNode container = spec.putArray("containers").addObject();
    container.put("name", "app");
    container.put("image", "registry.example.org/" + app + ":1.0");
    ObjectNode status = item.putObject("status");
    status.put("phase", "Running");
    status.put("podIP", "10.0.0.12");
    status.put("startTime", Instant.now().minusSeconds(3600).toString());
    put("pods", namespace, item);
    return this;
  }

  /** The pod's deletion was asked for {@code secondsAgo} ago; it is terminating. */
  public void terminatePod(String namespace, String name, long secondsAgo) {
    update("pods", namespace, name, item -> {
      ObjectNode metadata = (ObjectNode) item.get("metadata");
      metadata.put("deletionTimestamp", Instant.now().minusSeconds(secondsAgo).plusSeconds(30)
          .toString());
      metadata.put("deletionGracePeriodSeconds", 30);
    });
  }

  /** The pod ended as {@code phase} (Succeeded, or Failed as an evicted pod does). */
  public void endPod(String namespace, String name, String phase) {
    update("pods", namespace, name, item -> ((ObjectNode) item.get("status")).put("phase", phase));
  }

  public void deletePod(String namespace, String name) {
    objects.getOrDefault(namespace + "/pods", Map.of()).remove(name);
  }

  public FakeKubernetes cronJob(String namespace, String name, boolean suspended) {
    ObjectNode item = meta("cronjobs", namespace, name, name);
    ObjectNode spec = item.putObject("spec");
    spec.put("schedule", "*/5 * * * *");
    spec.put("suspend", suspended);
    spec.put("concurrencyPolicy", "Forbid");
    spec.putObject("jobTemplate").putObject("spec").putObject("template");
    item.putObject("status").put("lastScheduleTime", Instant.now().minusSeconds(120).toString());
    put("cronjobs", namespace, item);
    return this;
  }

  /** A Job created by {@code cronJob}, with {@code active} running pods (0: it completed). */
  public FakeKubernetes job(String namespace, String name, String cronJob, int active) {
    ObjectNode item = meta("jobs", namespace, name, cronJob);
    ownedBy(item, "batch/v1", "CronJob", cronJob);
    item.putObject("spec").put("completions", 1).put("parallelism", 1).put("backoffLimit", 6);
    ObjectNode status = item.putObject("status");
    status.put("startTime", Instant.now().minusSeconds(60).toString());
    positive(status, "active", active);
    if (active == 0) {
      status.put("succeeded", 1);
      status.put("completionTime", Instant.now().minusSeconds(5).toString());
    }
    put("jobs", namespace, item);
    return this;
  }

  /**
   * A migration run as a Job of its own (no CronJob), with one running pod {@code <name>-x7k2p}
   * carrying the labels the Job controller sets.
   */
  public FakeKubernetes migrationJob(String namespace, String name) {
    ObjectNode job = meta("jobs", namespace, name, name);
    job.putObject("spec").put("completions", 1).put("parallelism", 1).put("backoffLimit", 0);
    job.putObject("status").put("startTime", Instant.now().minusSeconds(600).toString())
        .put("active", 1);
    put("jobs", namespace, job);
    String pod = name + "-x7k2p";
    pod(namespace, pod, name);
    update("pods", namespace, pod, item -> {
      ObjectNode labels = (ObjectNode) item.get("metadata").get("labels");
      labels.put("job-name", name);
      labels.put("batch.kubernetes.io/job-name", name);
      ((ObjectNode) item.get("status")).put("startTime",
          Instant.now().minusSeconds(600).toString());
    });
    return this;
  }

  /** The pod's only container restarted {@code count} times. */
  public void restartPod(String namespace, String name, int count) {
    update("pods", namespace, name, item -> ((ObjectNode) item.get("status"))
        .putArray("containerStatuses").addObject().put("name", "app").put("ready", true)
        .put("restartCount", count));
  }

  /**
   * The pod's only container restarted {@code count} times, its last run ended just now for
   * {@code reason} (OOMKilled) as the kubelet reports it, and it runs again.
   */
  public void restartPod(String namespace, String name, int count, String reason) {
    Instant now = Instant.now();
    update("pods", namespace, name, item -> {
      ObjectNode container = ((ObjectNode) item.get("status")).putArray("containerStatuses")
          .addObject().put("name", "app").put("ready", true).put("restartCount", count);
      container.putObject("state").putObject("running").put("startedAt", now.toString());
      container.putObject("lastState").putObject("terminated").put("reason", reason)
          .put("exitCode", 137).put("startedAt", now.minusSeconds(300).toString())
          .put("finishedAt", now.toString());
    });
  }

  /** The pod's only container ended just now for {@code reason}, and the pod with it: Failed. */
  public void failPod(String namespace, String name, String reason) {
    Instant now = Instant.now();
    update("pods", namespace, name, item -> {
      ObjectNode status = (ObjectNode) item.get("status");
      status.put("phase", "Failed");
      status.putArray("containerStatuses").addObject().put("name", "app").put("ready", false)
          .put("restartCount", 0).putObject("state").putObject("terminated")
          .put("reason", reason).put("exitCode", 137)
          .put("startedAt", now.minusSeconds(600).toString()).put("finishedAt", now.toString());
    });
  }

  /** The Job ended with {@code condition} (Complete or Failed), its pod with the matching phase. */
  public void finishJob(String namespace, String name, String condition) {
    update("jobs", namespace, name, item -> {
      ObjectNode status = (ObjectNode) item.get("status");
      status.remove("active");
      status.put(condition.equals("Complete") ? "succeeded" : "failed", 1);
      status.putArray("conditions").addObject().put("type", condition).put("status", "True")
          .put("lastTransitionTime", Instant.now().toString());
    });
    endPod(namespace, name + "-x7k2p", condition.equals("Complete") ? "Succeeded" : "Failed");
  }

  /** Stores an object given as raw JSON, for wrong-shape tests. */
  public void raw(String plural, String namespace, String json) {
    try {
      put(plural, namespace, (ObjectNode) JSON.readTree(json));
    } catch (java.io.IOException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object: " + json, e);
    }
  }

  public void suspend(String namespace, String name, boolean suspended) {
    update("cronjobs", namespace, name,
        item -> ((ObjectNode) item.get("spec")).put("suspend", suspended));
  }

  /** Expirations still to answer, of those {@link #expireContinueTokens} asked for. */
  public int continuesStillToExpire() {
    return continuesToExpire.get();
  }

  /** Lists of {@code path} started (requests without a continue token), paging apart. */
  public int listsStarted(String path) {
    return listsStarted.getOrDefault(path, new AtomicInteger()).get();
  }

  public void resetListCounters() {
    listsStarted.clear();
  }

  /** The path of a namespaced list, as {@link #requests} counts it. */
  public static String listPath(String namespace, String plural) {
    String group = GROUPS.get(plural);
    String version = plural.equals("horizontalpodautoscalers") ? "v2" : "v1";
    return (group.isEmpty() ? "/api/v1" : "/apis/" + group + "/" + version) + "/namespaces/"
        + namespace + "/" + plural;
  }

  private FakeKubernetes replicated(String plural, String namespace, String name, int desired,
      int current, int ready) {
    ObjectNode item = workload(plural, namespace, name);
    ((ObjectNode) item.get("spec")).put("replicas", desired);
    ObjectNode status = item.putObject("status");
    status.put("observedGeneration", 1);
    positive(status, "replicas", current);
    positive(status, "updatedReplicas", current);
    positive(status, "readyReplicas", ready);
    positive(status, "availableReplicas", ready);
    put(plural, namespace, item);
    return this;
  }

  private ObjectNode workload(String plural, String namespace, String name) {
    ObjectNode item = meta(plural, namespace, name, name);
    ObjectNode spec = item.putObject("spec");
    spec.putObject("selector").putObject("matchLabels").put("app", name);
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putObject("labels").put("app", name);
    ObjectNode container = template.putObject("spec").putArray("containers").addObject();
    container.put("name", "app");
    container.put("image", "registry.example.org/" + name + ":1.0");
    return item;
  }

  private ObjectNode meta(String plural, String namespace, String name, String app) {
    ObjectNode item = JSON.createObjectNode();
    ObjectNode metadata = item.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("resourceVersion", String.valueOf(resourceVersion.incrementAndGet()));
    metadata.put("generation", 1);
    metadata.put("creationTimestamp", Instant.now().minusSeconds(86_400).toString());
    ObjectNode labels = metadata.putObject("labels");
    labels.put("app", app);
    labels.put("app.kubernetes.io/part-of", "pix");
    if (plural.equals("pods")) {
      metadata.remove("generation");
    }
    return item;
  }

  /** The controller owner reference the owning controller sets. */
  private static void ownedBy(ObjectNode item, String apiVersion, String kind, String name) {
    ObjectNode owner = ((ObjectNode) item.get("metadata")).putArray("ownerReferences").addObject();
    owner.put("apiVersion", apiVersion);
    owner.put("kind", kind);
    owner.put("name", name);
    owner.put("uid", UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
    owner.put("controller", true);
    owner.put("blockOwnerDeletion", true);
  }

  private static void positive(ObjectNode status, String field, int value) {
    if (value != 0) {
      status.put(field, value);
    }
  }

  private void put(String plural, String namespace, ObjectNode item) {
    objects.computeIfAbsent(namespace + "/" + plural, k -> new ConcurrentSkipListMap<>())
        .put(item.path("metadata").path("name").asText(), item);
  }

  private void update(String plural, String namespace, String name,
      java.util.function.Consumer<ObjectNode> change) {
    ObjectNode item = objects.getOrDefault(namespace + "/" + plural, Map.of()).get(name);
    if (item == null) {
      throw new IllegalArgumentException("no " + plural + " " + namespace + "/" + name);
    }
    ObjectNode copy = item.deepCopy();
    change.accept(copy);
    ((ObjectNode) copy.get("metadata")).put("resourceVersion",
        String.valueOf(resourceVersion.incrementAndGet()));
    put(plural, namespace, copy);
  }

  @Override
  protected Reply route(Call call) {
    // Started requiring client certificates, a request without a token is the certificate's user.
    boolean byCertificate = requiresClientCertificates() && call.bearer().isEmpty();
    if (!byCertificate && call.bearer().filter(tokens::contains).isEmpty()) {
      return status(401, "Unauthorized", "Unauthorized");
    }
    if (!call.method().equals("GET")) {
      return status(405, "MethodNotAllowed", "the server does not allow this method");
    }
    String[] parts = call.path().split("/");
    // /api/v1/namespaces/<ns>/<plural> or /apis/<group>/v1/namespaces/<ns>/<plural>
    int at = call.path().startsWith("/apis/") ? 4 : 3;
    if (parts.length != at + 3 || !parts[at].equals("namespaces")
        || !GROUPS.containsKey(parts[at + 2])
        || !call.path().equals(listPath(parts[at + 1], parts[at + 2]))) {
      return status(404, "NotFound", "the server could not find the requested resource");
    }
    String namespace = parts[at + 1];
    String plural = parts[at + 2];
    String group = GROUPS.get(plural);
    if (forbidden.contains(plural)) {
      return status(403, "Forbidden", plural + (group.isEmpty() ? "" : "." + group)
          + " is forbidden: User \"system:serviceaccount:pix:migration-exporter\" cannot list"
          + " resource \"" + plural + "\" in API group \"" + group + "\" in the namespace \""
          + namespace + "\"");
    }
    int limit;
    int offset = 0;
    try {
      limit = Integer.parseInt(call.parameter("limit").orElse("0"));
      String from = call.parameter("continue").orElse(null);
      if (from == null) {
        listsStarted.computeIfAbsent(call.path(), k -> new AtomicInteger()).incrementAndGet();
      } else {
        if (continuesToExpire.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          return status(410, "Expired", "The provided continue parameter is too old to display a"
              + " consistent list result. You can start a new list without the continue"
              + " parameter.");
        }
        offset = Integer.parseInt(new String(Base64.getDecoder().decode(from),
            StandardCharsets.UTF_8));
      }
    } catch (IllegalArgumentException e) {
      return status(400, "BadRequest", "invalid limit or continue parameter");
    }
    List<ObjectNode> all = new ArrayList<>(objects.getOrDefault(namespace + "/" + plural, Map.of())
        .values());
    int to = limit <= 0 ? all.size() : Math.min(all.size(), offset + limit);
    ObjectNode root = JSON.createObjectNode();
    root.put("kind", KINDS.get(plural) + "List");
    root.put("apiVersion", listPath(namespace, plural).replaceFirst("^/apis?/", "")
        .replaceFirst("/namespaces/.*", ""));
    ObjectNode metadata = root.putObject("metadata");
    metadata.put("resourceVersion", String.valueOf(resourceVersion.get()));
    if (to < all.size()) {
      metadata.put("continue", Base64.getEncoder().encodeToString(
          String.valueOf(to).getBytes(StandardCharsets.UTF_8)));
      metadata.put("remainingItemCount", all.size() - to);
    }
    ArrayNode items = root.putArray("items");
    all.subList(Math.min(offset, all.size()), to).forEach(items::add);
    return Reply.json(200, root.toString());
  }

  private static Reply status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return Reply.json(code, status.toString());
  }
}

package io.migrationexporter.source.kubernetes;

import okhttp3.HttpUrl;

/** The resources the checks list, each at most once per namespace and refresh. */
enum Resource {
  DEPLOYMENTS("deployments", "apps", "v1", "Deployment"),
  STATEFULSETS("statefulsets", "apps", "v1", "StatefulSet"),
  DAEMONSETS("daemonsets", "apps", "v1", "DaemonSet"),
  REPLICASETS("replicasets", "apps", "v1", "ReplicaSet"),
  PODS("pods", "", "v1", "Pod"),
  HORIZONTALPODAUTOSCALERS("horizontalpodautoscalers", "autoscaling", "v2",
      "HorizontalPodAutoscaler"),
  CRONJOBS("cronjobs", "batch", "v1", "CronJob"),
  JOBS("jobs", "batch", "v1", "Job");

  /** The plural name, as in RBAC rules and URLs. */
  final String plural;
  /** The API group, empty for the core group. */
  final String group;
  final String version;
  /** The kind of one object, as in owner references. */
  final String kind;

  Resource(String plural, String group, String version, String kind) {
    this.plural = plural;
    this.group = group;
    this.version = version;
    this.kind = kind;
  }

  /** As RBAC names it: {@code deployments.apps}, {@code pods}. */
  String rbacName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** {@code <api>/apis/apps/v1/namespaces/<namespace>/deployments}. */
  HttpUrl listUrl(HttpUrl api, String namespace) {
    HttpUrl.Builder url = api.newBuilder();
    if (group.isEmpty()) {
      url.addPathSegment("api");
    } else {
      url.addPathSegment("apis").addPathSegment(group);
    }
    return url.addPathSegment(version).addPathSegment("namespaces").addPathSegment(namespace)
        .addPathSegment(plural).build();
  }
}

package io.migrationexporter.source.kubernetes;

import okhttp3.HttpUrl;

/** The resources the checks list, each at most once per namespace and refresh. */
enum Resource {
  DEPLOYMENTS("deployments", "apps", "Deployment"),
  STATEFULSETS("statefulsets", "apps", "StatefulSet"),
  DAEMONSETS("daemonsets", "apps", "DaemonSet"),
  REPLICASETS("replicasets", "apps", "ReplicaSet"),
  PODS("pods", "", "Pod"),
  CRONJOBS("cronjobs", "batch", "CronJob"),
  JOBS("jobs", "batch", "Job");

  /** The plural name, as in RBAC rules and URLs. */
  final String plural;
  /** The API group, empty for the core group. */
  final String group;
  /** The kind of one object, as in owner references. */
  final String kind;

  Resource(String plural, String group, String kind) {
    this.plural = plural;
    this.group = group;
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
    return url.addPathSegment("v1").addPathSegment("namespaces").addPathSegment(namespace)
        .addPathSegment(plural).build();
  }
}

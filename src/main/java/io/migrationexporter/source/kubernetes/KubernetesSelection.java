package io.migrationexporter.source.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one check selects in one namespace: objects by name, or by a label selector (never both).
 */
sealed interface KubernetesSelection {
  String namespace();

  List<String> names();

  /** The label selector's text, empty when the selection is by name. */
  String selector();

  /** The resources to list to judge this selection. */
  List<Resource> resources();

  /** The observation key: the same selection in two checks is judged once. */
  default String key() {
    String what = names().isEmpty() ? "selector " + selector() : "names " + names();
    return getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + namespace() + " " + resources() + " "
        + what;
  }

  /** Whether an object of this name and labels is selected. */
  default boolean selects(String name, Map<String, String> labels) {
    return names().isEmpty() ? LabelSelector.parse(selector()).matches(labels)
        : names().contains(name);
  }

  /** Workloads of {@code kinds}, their pods and the autoscalers that would scale them up. */
  record Workloads(String namespace, List<Resource> kinds, List<String> names, String selector)
      implements KubernetesSelection {
    @Override
    public List<Resource> resources() {
      List<Resource> resources = new ArrayList<>(kinds);
      resources.add(Resource.PODS);
      resources.add(Resource.HORIZONTALPODAUTOSCALERS);
      return resources;
    }
  }

  /** CronJobs and the Jobs they own. */
  record CronJobs(String namespace, List<String> names, String selector)
      implements KubernetesSelection {
    @Override
    public List<Resource> resources() {
      return List.of(Resource.CRONJOBS, Resource.JOBS);
    }
  }

  /**
   * The pods of a migration run as a Job ({@code names} holds the Job's name, its pods carry it in
   * their {@code job-name} label) or as pods with a label ({@code selector}).
   */
  record MigrationPods(String migration, String namespace, List<String> names, String selector)
      implements KubernetesSelection {
    @Override
    public List<Resource> resources() {
      return names.isEmpty() ? List.of(Resource.PODS) : List.of(Resource.PODS, Resource.JOBS);
    }

    @Override
    public String key() {
      return "migration " + migration;
    }

    /** Whether a pod of these labels is one of the migration's. */
    boolean selectsPod(Map<String, String> labels) {
      return names.isEmpty() ? LabelSelector.parse(selector).matches(labels)
          : names.contains(labels.getOrDefault("batch.kubernetes.io/job-name",
              labels.getOrDefault("job-name", "")));
    }
  }
}

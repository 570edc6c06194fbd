package io.migrationexporter.source.kubernetes;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.config.CheckKind;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import io.migrationexporter.source.saas.NoDefaults;
import java.util.List;
import java.util.Map;

/**
 * The checks on a {@code kubernetes} source: {@code kubernetes-workloads} (closed when every
 * selected Deployment, StatefulSet and DaemonSet is scaled to zero with no pod left) and
 * {@code kubernetes-cronjobs} (closed when every selected CronJob is suspended with no job
 * running). Both take {@code cluster}, {@code namespace} (default: the cluster's) and either
 * {@code names = [...]} or {@code selector = "app=pix"}.
 */
public final class KubernetesCheckKinds {
  private static final Map<String, Resource> WORKLOAD_KINDS = Map.of(
      "deployments", Resource.DEPLOYMENTS,
      "statefulsets", Resource.STATEFULSETS,
      "daemonsets", Resource.DAEMONSETS,
      "replicasets", Resource.REPLICASETS);

  private KubernetesCheckKinds() {}

  public static CheckKind<NoDefaults> workloads() {
    return new Kind("kubernetes-workloads");
  }

  public static CheckKind<NoDefaults> cronJobs() {
    return new Kind("kubernetes-cronjobs");
  }

  private record Kind(String name) implements NoDefaults.SourceCheckKind {
    /** None: {@code sources.kubernetes} declares these checks' sources and their families. */
    @Override
    public List<MetricDef> families() {
      return List.of();
    }

    @Override
    public Binding bind(CheckContext<NoDefaults> check) {
      ConfigNode block = check.block();
      String cluster = block.string("cluster");
      String sourceId = KubernetesSource.id(cluster);
      KubernetesSource.Settings source = check.plan().source(sourceId)
          .map(SourceDefinition::settings)
          .filter(KubernetesSource.Settings.class::isInstance)
          .map(KubernetesSource.Settings.class::cast)
          .orElseThrow(() -> check.plan().missingSource(block, "cluster", "kubernetes", cluster,
              "no cluster '" + cluster + "' under sources.kubernetes"));
      String namespace = block.string("namespace", source.namespace());
      if (block.has("names") == block.has("selector")) {
        throw block.failHere("select with exactly one of: names = [\"pix-api\"],"
            + " selector = \"app=pix\"");
      }
      List<String> names = block.has("names") ? block.stringList("names") : List.of();
      if (block.has("names") && names.isEmpty()) {
        throw block.fail("names", "an empty list selects nothing");
      }
      String selector = LabelSelector.setting(block);
      KubernetesSelection selection = name.equals("kubernetes-cronjobs")
          ? new KubernetesSelection.CronJobs(namespace, names, selector)
          : new KubernetesSelection.Workloads(namespace, kinds(block), names, selector);
      return new Binding(sourceId, check.plan().request(sourceId, selection.key(), selection));
    }

    private static List<Resource> kinds(ConfigNode block) {
      if (!block.has("kinds")) {
        return List.of(Resource.DEPLOYMENTS, Resource.STATEFULSETS, Resource.DAEMONSETS,
            Resource.REPLICASETS);
      }
      List<String> kinds = block.stringList("kinds");
      for (String kind : kinds) {
        if (!WORKLOAD_KINDS.containsKey(kind)) {
          throw block.fail("kinds", "unknown workload kind '" + kind + "', expected some of:"
              + " deployments, statefulsets, daemonsets, replicasets");
        }
      }
      if (kinds.isEmpty()) {
        throw block.fail("kinds", "an empty list selects nothing");
      }
      return kinds.stream().distinct().map(WORKLOAD_KINDS::get).sorted().toList();
    }

    @Override
    public KindExample example(ExampleTarget target) {
      KindExample cluster = KubernetesSourceKind.cluster(target);
      return new KindExample(cluster.hocon() + """
          checks.example { %s { cluster = example, names = [example-app] } }
          """.formatted(name), cluster.files(), false);
    }
  }
}

package io.migrationexporter.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.migration.MigrationProcess;
import io.migrationexporter.source.kubernetes.KubernetesObjects.Autoscaler;
import io.migrationexporter.source.kubernetes.KubernetesObjects.CronJob;
import io.migrationexporter.source.kubernetes.KubernetesObjects.Job;
import io.migrationexporter.source.kubernetes.KubernetesObjects.Pod;
import io.migrationexporter.source.kubernetes.KubernetesObjects.Workload;
import io.migrationexporter.source.kubernetes.KubernetesSource.Listing;
import io.migrationexporter.source.kubernetes.KubernetesSource.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Judges the selections of one refresh on its lists: closed when every selected workload is scaled
 * to zero with no pod left (terminating ones count) or every CronJob suspended with no job running;
 * open when every workload has its desired replicas ready or every CronJob is scheduled; otherwise
 * neither, in words naming what stands in between.
 */
final class KubernetesJudge {
  /** Workloads named in a summary; the count says how many more there are. */
  private static final int NAMED = 3;

  /** The phases a pod can be in; any other word the API might add is counted as Unknown. */
  static final List<String> POD_PHASES = List.of("Pending", "Running", "Succeeded", "Failed",
      "Unknown");
  /** The conditions that end a Job. */
  static final List<String> JOB_ENDS = List.of("Complete", "Failed");

  private final String cluster;
  private final Map<Listing, List<JsonNode>> listed;
  private final Instant now;
  private final Map<Sample, Double> samples = new LinkedHashMap<>();

  KubernetesJudge(String cluster, Map<Listing, List<JsonNode>> listed, Instant now) {
    this.cluster = cluster;
    this.listed = listed;
    this.now = now;
  }

  Map<Sample, Double> samples() {
    return samples;
  }

  Observation judge(KubernetesSelection selection) {
    if (selection instanceof KubernetesSelection.Workloads workloads) {
      return workloads(workloads);
    }
    return cronJobs((KubernetesSelection.CronJobs) selection);
  }

  private List<JsonNode> items(Resource resource, String namespace) {
    return listed.getOrDefault(new Listing(resource, namespace), List.of());
  }

  /**
   * Samples the pods of a migration: how many are in each phase, their restarts, when the newest
   * started, and whether its Job finished; returns what they say of the migration's process.
   */
  MigrationProcess migration(KubernetesSelection.MigrationPods selection) {
    String namespace = selection.namespace();
    List<JsonNode> podItems = items(Resource.PODS, namespace).stream()
        .filter(item -> selection.selectsPod(KubernetesObjects.labels(item))).toList();
    List<Pod> pods = podItems.stream().map(KubernetesObjects::pod).toList();
    List<String> labels = List.of(cluster, namespace, selection.migration());
    for (String phase : POD_PHASES) {
      samples.put(new Sample(KubernetesSource.MIGRATION_PODS, with(labels, phase)),
          (double) pods.stream().filter(pod -> phaseOf(pod).equals(phase)).count());
    }
    samples.put(new Sample(KubernetesSource.MIGRATION_RESTARTS, labels),
        (double) pods.stream().mapToLong(Pod::restarts).sum());
    pods.stream().flatMap(pod -> pod.startedAt().stream()).max(Instant::compareTo).ifPresent(at ->
        samples.put(new Sample(KubernetesSource.MIGRATION_STARTED, labels),
            at.toEpochMilli() / 1000.0));
    Optional<JsonNode> jobItem = Optional.empty();
    for (String job : selection.names()) {
      jobItem = items(Resource.JOBS, namespace).stream()
          .filter(item -> KubernetesObjects.name(item).equals(job)).findFirst();
      Optional<String> finished = jobItem.map(KubernetesObjects::job).flatMap(Job::finished);
      for (String condition : JOB_ENDS) {
        samples.put(new Sample(KubernetesSource.MIGRATION_JOB_FINISHED, with(labels, condition)),
            finished.equals(Optional.of(condition)) ? 1.0 : 0.0);
      }
    }
    return MigrationPodsProcess.of(podItems, jobItem, now);
  }

  private static String phaseOf(Pod pod) {
    return POD_PHASES.contains(pod.phase()) ? pod.phase() : "Unknown";
  }

  private static List<String> with(List<String> labels, String last) {
    List<String> all = new ArrayList<>(labels);
    all.add(last);
    return all;
  }

  private Observation workloads(KubernetesSelection.Workloads selection) {
    String namespace = selection.namespace();
    List<Pod> pods = items(Resource.PODS, namespace).stream().map(KubernetesObjects::pod).toList();
    List<Autoscaler> autoscalers = items(Resource.HORIZONTALPODAUTOSCALERS, namespace).stream()
        .map(KubernetesObjects::autoscaler).toList();
    List<Workload> selected = new ArrayList<>();
    for (Resource kind : selection.kinds()) {
      for (JsonNode item : items(kind, namespace)) {
        if (kind == Resource.REPLICASETS && KubernetesObjects.ownedByDeployment(item)) {
          continue;
        }
        Workload workload = KubernetesObjects.workload(kind, item);
        if (selection.selects(workload.name(), workload.labels())) {
          selected.add(workload);
        }
      }
    }
    Optional<Observation> missing = missing(selection, selected.stream().map(Workload::name).toList(),
        selection.kinds().stream().map(k -> k.kind).collect(Collectors.joining(", ")));
    if (missing.isPresent()) {
      return missing.get();
    }
    List<String> closed = new ArrayList<>();
    List<String> open = new ArrayList<>();
    List<String> between = new ArrayList<>();
    List<String> scaledBackUp = new ArrayList<>();
    int remaining = 0;
    for (Workload workload : selected) {
      List<Pod> own = KubernetesObjects.podsOf(workload, pods);
      List<Pod> terminating = own.stream().filter(p -> p.terminatingSince().isPresent()).toList();
      remaining += own.size();
      sampleWorkload(namespace, workload, own.size() - terminating.size(), terminating.size());
      String words = describe(workload, own, terminating);
      if (!workload.statusObserved()) {
        between.add(workload.title() + ": status not yet updated by its controller");
      } else if (workload.desired() == 0 && workload.current() == 0 && own.isEmpty()) {
        closed.add(workload.title() + ": scaled to zero, no pod left");
        // An autoscaler leaves a workload at zero alone, but brings it to its minimum as soon
        // as anyone gives it one replica: worth saying before the migration starts.
        autoscalers.stream().filter(a -> a.target().equals(workload.resource().kind + "/"
            + workload.name()) && a.minReplicas() > 0).forEach(a -> scaledBackUp.add(
                "HorizontalPodAutoscaler " + a.name() + " (min " + a.minReplicas() + ") would"
                    + " scale " + workload.title() + " back up from its first replica"));
      } else if (workload.desired() > 0 && workload.ready() >= workload.desired()) {
        open.add(words);
      } else {
        between.add(words);
      }
    }
    Observation judged = summary(selected.size(), "workloads", closed, open, between,
        "scaled to zero", "ready");
    if (judged.closed() && !scaledBackUp.isEmpty()) {
      judged = Observation.closed(judged.summary() + "; " + String.join("; ", scaledBackUp));
    }
    return judged.counting(remaining, "pods");
  }

  private void sampleWorkload(String namespace, Workload workload, int active, int terminating) {
    String kind = workload.resource().kind.toLowerCase(Locale.ROOT);
    samples.put(replicas(namespace, kind, workload.name(), "desired"), (double) workload.desired());
    samples.put(replicas(namespace, kind, workload.name(), "current"), (double) workload.current());
    samples.put(replicas(namespace, kind, workload.name(), "ready"), (double) workload.ready());
    samples.put(new Sample(KubernetesSource.WORKLOAD_PODS,
        List.of(cluster, namespace, kind, workload.name(), "active")), (double) active);
    samples.put(new Sample(KubernetesSource.WORKLOAD_PODS,
        List.of(cluster, namespace, kind, workload.name(), "terminating")), (double) terminating);
  }

  private Sample replicas(String namespace, String kind, String name, String which) {
    return new Sample(KubernetesSource.WORKLOAD_REPLICAS, List.of(cluster, namespace, kind, name,
        which));
  }

  private String describe(Workload workload, List<Pod> own, List<Pod> terminating) {
    StringBuilder words = new StringBuilder(workload.title()).append(": ");
    if (workload.desired() == 0) {
      words.append("0 desired");
    } else {
      words.append(workload.ready()).append(" of ").append(workload.desired()).append(" ready");
    }
    if (workload.desired() == 0 && !own.isEmpty()) {
      words.append(", ").append(own.size()).append(own.size() == 1 ? " pod" : " pods").append(" left");
    }
    if (!terminating.isEmpty()) {
      Instant oldest = terminating.stream().map(p -> p.terminatingSince().orElseThrow())
          .min(Instant::compareTo).orElseThrow();
      words.append(" (").append(terminating.size()).append(" terminating for ")
          .append(KubernetesObjects.age(oldest, now)).append(')');
    }
    return words.toString();
  }

  private Observation cronJobs(KubernetesSelection.CronJobs selection) {
    String namespace = selection.namespace();
    List<Job> jobs = items(Resource.JOBS, namespace).stream().map(KubernetesObjects::job).toList();
    List<CronJob> selected = items(Resource.CRONJOBS, namespace).stream()
        .map(KubernetesObjects::cronJob).filter(c -> selection.selects(c.name(), c.labels()))
        .toList();
    Optional<Observation> missing = missing(selection, selected.stream().map(CronJob::name).toList(),
        "CronJob");
    if (missing.isPresent()) {
      return missing.get();
    }
    List<String> closed = new ArrayList<>();
    List<String> open = new ArrayList<>();
    List<String> between = new ArrayList<>();
    int running = 0;
    for (CronJob cronJob : selected) {
      List<String> active = jobs.stream()
          .filter(job -> job.cronJob().equals(Optional.of(cronJob.name())) && job.activePods() > 0)
          .map(Job::name).toList();
      running += active.size();
      samples.put(new Sample(KubernetesSource.CRONJOB_SUSPENDED,
          List.of(cluster, namespace, cronJob.name())), cronJob.suspended() ? 1.0 : 0.0);
      samples.put(new Sample(KubernetesSource.CRONJOB_ACTIVE_JOBS,
          List.of(cluster, namespace, cronJob.name())), (double) active.size());
      String title = "CronJob " + cronJob.name();
      if (!cronJob.suspended()) {
        open.add(title + ": scheduled (" + cronJob.schedule() + ")");
      } else if (active.isEmpty()) {
        closed.add(title + ": suspended");
      } else {
        between.add(title + ": suspended, job still running: " + String.join(", ", active));
      }
    }
    return summary(selected.size(), "CronJobs", closed, open, between, "suspended", "scheduled")
        .counting(running, "jobs running");
  }

  /** Neither, when a named object is absent or a selector selects nothing. */
  private static Optional<Observation> missing(KubernetesSelection selection, List<String> found,
      String kinds) {
    if (!selection.names().isEmpty()) {
      List<String> absent = selection.names().stream().filter(n -> !found.contains(n)).toList();
      if (!absent.isEmpty()) {
        return Optional.of(Observation.neither("No " + kinds + " named " + String.join(", ", absent)
            + " in namespace " + selection.namespace()));
      }
    } else if (found.isEmpty()) {
      return Optional.of(Observation.neither("No " + kinds + " in namespace "
          + selection.namespace() + " matches " + selection.selector()));
    }
    return Optional.empty();
  }

  private static Observation summary(int total, String plural, List<String> closed,
      List<String> open, List<String> between, String closedWords, String openWords) {
    if (total == 1) {
      List<String> one = !closed.isEmpty() ? closed : !open.isEmpty() ? open : between;
      return new Observation(!closed.isEmpty(), !open.isEmpty(), one.get(0));
    }
    if (closed.size() == total) {
      return Observation.closed("All " + total + " " + plural + " " + closedWords);
    }
    if (open.size() == total) {
      return Observation.open("All " + total + " " + plural + " " + openWords);
    }
    List<String> named = new ArrayList<>(between);
    named.addAll(closed.isEmpty() || open.isEmpty() ? List.of() : open);
    List<String> shown = named.size() > NAMED ? named.subList(0, NAMED) : named;
    return Observation.neither(closed.size() + " of " + total + " " + plural + " " + closedWords
        + ", " + open.size() + " " + openWords + "; " + String.join("; ", shown)
        + (named.size() > shown.size() ? "; ..." : ""));
  }
}

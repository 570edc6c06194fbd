package io.migrationexporter.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.collect.Durations;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few fields of listed objects the checks read, taken from the JSON of the API reference with
 * their shapes checked: a field of the wrong type is a {@link WrongShape}, never a zero.
 */
final class KubernetesObjects {
  private KubernetesObjects() {}

  /** An object whose fields do not have the API's shapes; the message names object and field. */
  static final class WrongShape extends RuntimeException {
    WrongShape(String message) {
      super(message, null, false, false);
    }
  }

  /** A Deployment, StatefulSet or DaemonSet, with the pods its selector matches. */
  record Workload(Resource resource, String name, Map<String, String> labels, long desired,
      long current, long ready, boolean statusObserved, LabelSelector podSelector) {
    String title() {
      return resource.kind + " " + name;
    }
  }

  /**
   * A pod; {@code terminatingSince} is when its deletion was asked for, {@code restarts} the sum of
   * its containers' restart counts, {@code startedAt} when the kubelet took it.
   */
  record Pod(String name, Map<String, String> labels, String phase,
      Optional<Instant> terminatingSince, long restarts, Optional<Instant> startedAt) {
    /** Succeeded and Failed pods (evicted ones among them) hold no running container. */
    boolean holdsContainers() {
      return !phase.equals("Succeeded") && !phase.equals("Failed");
    }
  }

  /** An autoscaler and the workload it scales ({@code Deployment/pix-api}). */
  record Autoscaler(String name, String target, long minReplicas) {}

  static Autoscaler autoscaler(JsonNode item) {
    String name = name(item);
    JsonNode target = item.path("spec").path("scaleTargetRef");
    // The API server defaults minReplicas to 1.
    return new Autoscaler(name, target.path("kind").asText("") + "/" + target.path("name")
        .asText(""), count(item.path("spec"), "minReplicas", 1, "HorizontalPodAutoscaler " + name));
  }

  record CronJob(String name, Map<String, String> labels, boolean suspended, String schedule) {}

  /**
   * A Job and the CronJob owning it, if any; {@code finished} is its condition {@code Complete}
   * or {@code Failed} once it has one.
   */
  record Job(String name, Optional<String> cronJob, long activePods, Optional<String> finished) {}

  static String name(JsonNode item) {
    JsonNode name = item.path("metadata").path("name");
    if (!name.isTextual() || name.asText().isEmpty()) {
      throw new WrongShape("an object without metadata.name");
    }
    return name.asText();
  }

  static Map<String, String> labels(JsonNode item) {
    JsonNode labels = item.path("metadata").path("labels");
    Map<String, String> result = new LinkedHashMap<>();
    if (labels.isMissingNode() || labels.isNull()) {
      return result;
    }
    if (!labels.isObject()) {
      throw new WrongShape(name(item) + " has metadata.labels that are not an object");
    }
    labels.fields().forEachRemaining(entry -> {
      if (!entry.getValue().isTextual()) {
        throw new WrongShape(name(item) + " has a label value that is not a string");
      }
      result.put(entry.getKey(), entry.getValue().asText());
    });
    return result;
  }

  static Workload workload(Resource resource, JsonNode item) {
    String name = name(item);
    String where = resource.kind + " " + name;
    JsonNode spec = item.path("spec");
    JsonNode status = item.path("status");
    long generation = count(item.path("metadata"), "generation", 0, where);
    long observed = count(status, "observedGeneration", 0, where);
    LabelSelector pods;
    try {
      pods = LabelSelector.ofSpec(spec.path("selector"));
    } catch (IllegalArgumentException e) {
      throw new WrongShape(where + ": " + e.getMessage());
    }
    if (resource == Resource.DAEMONSETS) {
      return new Workload(resource, name, labels(item),
          count(status, "desiredNumberScheduled", 0, where),
          count(status, "currentNumberScheduled", 0, where),
          count(status, "numberReady", 0, where), observed >= generation, pods);
    }
    // The API server defaults spec.replicas to 1; status fields at 0 are omitted from the JSON.
    return new Workload(resource, name, labels(item), count(spec, "replicas", 1, where),
        count(status, "replicas", 0, where), count(status, "readyReplicas", 0, where),
        observed >= generation, pods);
  }

  /** A ReplicaSet a Deployment manages is judged through that Deployment, not on its own. */
  static boolean ownedByDeployment(JsonNode item) {
    for (JsonNode reference : item.path("metadata").path("ownerReferences")) {
      if ("Deployment".equals(reference.path("kind").asText(null))) {
        return true;
      }
    }
    return false;
  }

  static Pod pod(JsonNode item) {
    String name = name(item);
    JsonNode phase = item.path("status").path("phase");
    String phaseText = phase.isTextual() ? phase.asText() : "Pending";
    JsonNode deletion = item.path("metadata").path("deletionTimestamp");
    Optional<Instant> since = Optional.empty();
    if (!deletion.isMissingNode() && !deletion.isNull()) {
      Instant deadline = instant(deletion, "pod " + name + " metadata.deletionTimestamp");
      long grace = count(item.path("metadata"), "deletionGracePeriodSeconds", 0, "pod " + name);
      try {
        since = Optional.of(deadline.minusSeconds(grace));
      } catch (DateTimeException e) {
        throw new WrongShape("pod " + name + " has a deletion time out of range");
      }
    }
    long restarts = 0;
    for (JsonNode container : item.path("status").path("containerStatuses")) {
      restarts += count(container, "restartCount", 0, "pod " + name + " container status");
    }
    JsonNode start = item.path("status").path("startTime");
    Optional<Instant> startedAt = start.isMissingNode() || start.isNull() ? Optional.empty()
        : Optional.of(instant(start, "pod " + name + " status.startTime"));
    return new Pod(name, labels(item), phaseText, since, restarts, startedAt);
  }

  static CronJob cronJob(JsonNode item) {
    String name = name(item);
    JsonNode suspend = item.path("spec").path("suspend");
    if (!suspend.isMissingNode() && !suspend.isNull() && !suspend.isBoolean()) {
      throw new WrongShape("CronJob " + name + " has a spec.suspend that is not a boolean");
    }
    JsonNode schedule = item.path("spec").path("schedule");
    return new CronJob(name, labels(item), suspend.asBoolean(false),
        schedule.isTextual() ? schedule.asText() : "?");
  }

  static Job job(JsonNode item) {
    String name = name(item);
    Optional<String> owner = Optional.empty();
    for (JsonNode reference : item.path("metadata").path("ownerReferences")) {
      if ("CronJob".equals(reference.path("kind").asText(null))
          && reference.path("name").isTextual()) {
        owner = Optional.of(reference.path("name").asText());
      }
    }
    Optional<String> finished = Optional.empty();
    for (JsonNode condition : item.path("status").path("conditions")) {
      String type = condition.path("type").asText("");
      if ((type.equals("Complete") || type.equals("Failed"))
          && "True".equals(condition.path("status").asText(""))) {
        finished = Optional.of(type);
      }
    }
    return new Job(name, owner, count(item.path("status"), "active", 0, "Job " + name), finished);
  }

  /** The pods of {@code pods} a workload's selector matches that still hold containers. */
  static List<Pod> podsOf(Workload workload, List<Pod> pods) {
    return pods.stream().filter(Pod::holdsContainers)
        .filter(pod -> workload.podSelector().matches(pod.labels())).toList();
  }

  static String age(Instant since, Instant now) {
    Duration age = Duration.between(since, now);
    return Durations.format(
        age.isNegative() ? Duration.ZERO : Duration.ofSeconds(age.toSeconds()));
  }

  static long count(JsonNode parent, String field, long absent, String where) {
    JsonNode value = parent.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return absent;
    }
    if (!value.isIntegralNumber() || value.asLong() < 0) {
      throw new WrongShape(where + " has a " + field + " that is not a count");
    }
    return value.asLong();
  }

  static Instant instant(JsonNode value, String where) {
    if (!value.isTextual()) {
      throw new WrongShape(where + " is not a timestamp");
    }
    try {
      return Instant.parse(value.asText());
    } catch (DateTimeParseException e) {
      throw new WrongShape(where + " is not a timestamp");
    }
  }
}

package io.migrationexporter.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.migration.MigrationProcess;
import io.migrationexporter.migration.MigrationProcess.Stop;
import io.migrationexporter.source.kubernetes.KubernetesObjects.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the pods of a migration (and its Job) say of the process that runs it: a {@code Running}
 * pod is a sign of life; a failed pod, a restarted container, a pod being deleted, a Job that
 * ended (or, without a Job, a pod that succeeded) is a stop, in words naming the pod and the
 * reason Kubernetes gives. A pod whose phase is {@code Unknown} (its node lost) says nothing.
 */
final class MigrationPodsProcess {
  private MigrationPodsProcess() {}

  /**
   * @param pods the migration's pods, as listed
   * @param job its Job, when it runs as one and the Job exists
   * @param now when the lists were read: the sign of life, and the time of a stop Kubernetes gives
   *     no time for
   */
  static MigrationProcess of(List<JsonNode> pods, Optional<JsonNode> job, Instant now) {
    Optional<Instant> alive = Optional.empty();
    Optional<Stop> stop = Optional.empty();
    for (JsonNode item : pods) {
      Pod pod = KubernetesObjects.pod(item);
      if (pod.phase().equals("Running")) {
        alive = Optional.of(now);
      }
      stop = later(stop, podStop(pod, item, job.isEmpty(), now));
      for (JsonNode container : item.path("status").path("containerStatuses")) {
        stop = later(stop, restart(pod, container, now));
      }
    }
    if (job.isPresent()) {
      stop = jobEnd(job.get(), stop, now);
    }
    return new MigrationProcess(alive, stop);
  }

  private static Optional<Stop> podStop(Pod pod, JsonNode item, boolean withoutJob, Instant now) {
    String title = "pod " + pod.name();
    if (pod.terminatingSince().isPresent()) {
      return Optional.of(new Stop(title + " is being deleted", pod.terminatingSince().get()));
    }
    if (pod.phase().equals("Failed")) {
      return Optional.of(new Stop(title + " failed: " + failure(pod, item), finishedAt(pod, item,
          now)));
    }
    if (pod.phase().equals("Succeeded") && withoutJob) {
      return Optional.of(new Stop(title + " ended before the last step", finishedAt(pod, item,
          now)));
    }
    return Optional.empty();
  }

  /** The pod's reason (Evicted), else its first terminated container's, else its exit code. */
  private static String failure(Pod pod, JsonNode item) {
    JsonNode reason = item.path("status").path("reason");
    if (reason.isTextual() && !reason.asText().isBlank()) {
      return reason.asText();
    }
    for (JsonNode container : item.path("status").path("containerStatuses")) {
      JsonNode terminated = container.path("state").path("terminated");
      if (terminated.isObject()) {
        return termination(pod, terminated);
      }
    }
    return "no reason given";
  }

  private static String termination(Pod pod, JsonNode terminated) {
    JsonNode reason = terminated.path("reason");
    if (reason.isTextual() && !reason.asText().isBlank()) {
      return reason.asText();
    }
    JsonNode exitCode = terminated.path("exitCode");
    if (!exitCode.isIntegralNumber()) {
      return "no reason given";
    }
    return "exit code " + exitCode.asLong();
  }

  /** When the pod's last container ended; {@code now} when Kubernetes does not say. */
  private static Instant finishedAt(Pod pod, JsonNode item, Instant now) {
    Optional<Instant> last = Optional.empty();
    for (JsonNode container : item.path("status").path("containerStatuses")) {
      Optional<Instant> at = time(container.path("state").path("terminated").path("finishedAt"),
          pod);
      if (at.isPresent() && (last.isEmpty() || at.get().isAfter(last.get()))) {
        last = at;
      }
    }
    return last.orElse(now);
  }

  /**
   * A container that restarted: it stopped when its last run finished (else when it ran again,
   * else {@code now}), for the reason its last run gives.
   */
  private static Optional<Stop> restart(Pod pod, JsonNode container, Instant now) {
    long restarts = KubernetesObjects.count(container, "restartCount", 0,
        "pod " + pod.name() + " container status");
    if (restarts == 0) {
      return Optional.empty();
    }
    JsonNode last = container.path("lastState").path("terminated");
    Instant at = time(last.path("finishedAt"), pod)
        .or(() -> time(container.path("state").path("running").path("startedAt"), pod))
        .orElse(now);
    String why = last.isObject() ? ", last: " + termination(pod, last) : "";
    return Optional.of(new Stop("pod " + pod.name() + " restarted " + restarts
        + (restarts == 1 ? " time" : " times") + why, at));
  }

  /**
   * The Job's end: {@code Complete} ends the process whatever the pods said before; {@code Failed}
   * says less than the pod that failed, so its words count only when no pod's do.
   */
  private static Optional<Stop> jobEnd(JsonNode job, Optional<Stop> podStop, Instant now) {
    String name = KubernetesObjects.name(job);
    for (JsonNode condition : job.path("status").path("conditions")) {
      String type = condition.path("type").asText("");
      if (!"True".equals(condition.path("status").asText(""))) {
        continue;
      }
      Instant at = time(condition.path("lastTransitionTime"), null).orElse(now);
      if (type.equals("Complete")) {
        return later(podStop, Optional.of(new Stop("Job " + name + " ended before the last step",
            at)));
      }
      if (type.equals("Failed") && podStop.isEmpty()) {
        JsonNode reason = condition.path("reason");
        return Optional.of(new Stop("Job " + name + " failed" + (reason.isTextual()
            ? ": " + reason.asText() : ""), at));
      }
    }
    return podStop;
  }

  private static Optional<Instant> time(JsonNode value, Pod pod) {
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    return Optional.of(KubernetesObjects.instant(value, pod == null ? "a Job condition's time"
        : "pod " + pod.name() + " container time"));
  }

  /** The later of two stops; the second on a tie (the Job's end after its pod's). */
  private static Optional<Stop> later(Optional<Stop> first, Optional<Stop> second) {
    if (first.isEmpty()) {
      return second;
    }
    if (second.isEmpty()) {
      return first;
    }
    return second.get().at().isBefore(first.get().at()) ? first : second;
  }
}

package io.migrationexporter.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationexporter.report.Night.Alert;
import io.migrationexporter.report.Night.AppDowntime;
import io.migrationexporter.report.Night.Blocker;
import io.migrationexporter.report.Night.CheckTimeline;
import io.migrationexporter.report.Night.GateTimeline;
import io.migrationexporter.report.Night.GateWait;
import io.migrationexporter.report.Night.Incident;
import io.migrationexporter.report.Night.MigrationFacts;
import io.migrationexporter.report.Night.Period;
import io.migrationexporter.report.Night.PhasePeriod;
import io.migrationexporter.report.Night.StepFacts;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The night as JSON, for scripts: times in ISO-8601 UTC, durations in seconds, a fact not known
 * (an app not reopened yet, a step never reached) absent rather than zero.
 */
public final class ReportJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  public static String render(Night night) {
    try {
      return JSON.writeValueAsString(tree(night)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tree(Night night) {
    ObjectNode root = JSON.createObjectNode();
    root.put("from", night.from().toString());
    root.put("to", night.to().toString());
    ArrayNode phases = root.putArray("phases");
    for (PhasePeriod phase : night.phases()) {
      ObjectNode node = phases.addObject().put("phase", phase.phase())
          .put("start", phase.start().toString());
      put(node, "end", phase.end());
      put(node, "seconds", phase.end().map(end -> Duration.between(phase.start(), end)));
      node.put("by", phase.by());
    }

    ObjectNode downtime = root.putObject("downtime");
    put(downtime, "first_closed", night.downtime().firstClosed());
    put(downtime, "last_reopened", night.downtime().lastReopened());
    put(downtime, "seconds", night.downtime().duration());
    ArrayNode apps = downtime.putArray("apps");
    for (AppDowntime app : night.downtime().apps()) {
      ObjectNode node = apps.addObject().put("app", app.app()).put("title", app.title())
          .put("closed", app.closed().toString());
      put(node, "reopened", app.reopened());
      put(node, "seconds", app.duration());
    }

    ArrayNode waits = root.putArray("gate_waits");
    for (GateWait wait : night.gateWaits()) {
      ObjectNode node = waits.addObject().put("gate", wait.gate())
          .put("start", wait.start().toString()).put("opened", wait.opened().toString())
          .put("seconds", Words.seconds(wait.duration()));
      ArrayNode blockers = node.putArray("blockers");
      for (Blocker blocker : wait.blockers()) {
        blockers.addObject().put("check", blocker.check()).put("title", blocker.title())
            .put("seconds", Words.seconds(blocker.blocked())).put("words", blocker.words());
      }
    }
    put(root, "migration_started", night.migrationStarted());
    put(root, "gate_open_to_migration_start_seconds", night.gateOpenToMigrationStart());

    ArrayNode migrations = root.putArray("migrations");
    for (MigrationFacts migration : night.migrations()) {
      ObjectNode node = migrations.addObject().put("migration", migration.migration())
          .put("title", migration.title());
      put(node, "started", migration.started());
      put(node, "done", migration.done());
      ArrayNode steps = node.putArray("steps");
      for (StepFacts step : migration.steps()) {
        ObjectNode stepNode = steps.addObject().put("number", step.number()).put("name", step.name())
            .put("title", step.title()).put("status", step.status());
        put(stepNode, "expected_seconds", step.expected());
        step.scaled().ifPresent(words -> stepNode.put("expected_words", words));
        put(stepNode, "actual_seconds", step.actual());
        put(stepNode, "started", step.started());
        put(stepNode, "ended", step.ended());
        stepNode.put("runs", step.runs());
        ArrayNode interruptions = stepNode.putArray("interruptions");
        step.interruptions().forEach(at -> interruptions.add(at.toString()));
        stepNode.put("lock_wait_seconds", Words.seconds(step.lockWaits()));
        stepNode.put("unknown_seconds", Words.seconds(step.unknown()));
        step.volume().ifPresent(volume -> {
          volume.table().ifPresent(table -> stepNode.put("table", table));
          stepNode.put("bytes", volume.bytes()).put("rows", volume.rows());
        });
        step.measure().ifPresent(measure -> {
          stepNode.put("wal_bytes", measure.walBytes());
          measure.indexSort().ifPresent(ratio -> stepNode.put("index_sort", ratio));
          measure.indexWrite().ifPresent(ratio -> stepNode.put("index_write", ratio));
          measure.foreignKeyJoin().ifPresent(ratio -> stepNode.put("foreign_key_join", ratio));
        });
      }
    }

    ArrayNode incidents = root.putArray("incidents");
    for (Incident incident : night.incidents()) {
      incidents.addObject().put("at", incident.at().toString()).put("kind", incident.kind())
          .put("subject", incident.subject()).put("words", incident.words());
    }
    ObjectNode alerts = root.putObject("alerts");
    night.alerts().unread().ifPresentOrElse(why -> alerts.put("read", false).put("why", why),
        () -> alerts.put("read", true));
    ArrayNode fired = alerts.putArray("fired");
    for (Alert alert : night.alerts().fired()) {
      ObjectNode node = fired.addObject().put("alert", alert.name())
          .put("severity", alert.severity());
      alert.labels().forEach(node::put);
      node.put("from", alert.from().toString());
      put(node, "to", alert.to());
    }

    ArrayNode checks = root.putArray("checks");
    for (CheckTimeline check : night.checks()) {
      ObjectNode node = checks.addObject().put("check", check.check()).put("title", check.title())
          .put("app", check.app());
      periods(node, check.periods());
    }
    ArrayNode gates = root.putArray("gates");
    for (GateTimeline gate : night.gates()) {
      periods(gates.addObject().put("gate", gate.gate()), gate.periods());
    }
    return root;
  }

  private static void periods(ObjectNode node, List<Period> periods) {
    ArrayNode out = node.putArray("periods");
    for (Period period : periods) {
      out.addObject().put("state", period.state()).put("start", period.start().toString())
          .put("end", period.end().toString()).put("seconds", Words.seconds(period.duration()))
          .put("words", period.words());
    }
  }

  private static void put(ObjectNode node, String field, Optional<?> value) {
    value.ifPresent(present -> {
      if (present instanceof Duration duration) {
        node.put(field, Words.seconds(duration));
      } else if (present instanceof Instant at) {
        node.put(field, at.toString());
      } else {
        node.put(field, present.toString());
      }
    });
  }
}

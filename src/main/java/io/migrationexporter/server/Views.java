package io.migrationexporter.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationexporter.app.Board;
import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.check.Headline;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.config.AppDefinition;
import io.migrationexporter.event.Event;
import io.migrationexporter.migration.MigrationState;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.phase.PhaseController;
import io.migrationexporter.phase.PhaseSource;
import io.migrationexporter.phase.PhaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The JSON shapes of the API, built field by field so that nothing unintended is ever serialized. */
final class Views {
  static final ObjectMapper JSON = new ObjectMapper();

  private Views() {}

  static ObjectNode status(Board board, Collection<AppDefinition> apps, Instant now) {
    ObjectNode root = JSON.createObjectNode();
    root.put("generated_at", board.at().toString());
    // the server's clock, so that a page computes ages right even when its own clock is off
    root.put("now", now.toString());
    ArrayNode appList = root.putArray("apps");
    apps.forEach(app -> appList.addObject().put("name", app.name()).put("title", app.title()));
    root.set("phase", phase(board.phase(), board.phaseOrder(), board.phaseSource()));
    ArrayNode checks = root.putArray("checks");
    board.checks().forEach(result -> checks.add(check(result, now)));
    root.set("headline", headline(board));
    ArrayNode gates = root.putArray("gates");
    board.gates().forEach(gate -> gates.add(gate(gate, board.phase().current())));
    ArrayNode migrations = root.putArray("migrations");
    board.migrations().forEach(migration -> migrations.add(migration(migration, now)));
    ArrayNode sources = root.putArray("sources");
    board.sources().values().forEach(state ->
        sources.add(source(state, board.schedules().get(state.sourceId()), now)));
    ObjectNode config = root.putObject("config");
    config.put("file", board.config().file());
    config.put("last_reload_successful", board.config().lastReloadSuccessful());
    config.put("last_success_at", board.config().lastSuccessAt().toString());
    if (!board.config().lastError().isEmpty()) {
      config.put("last_error", board.config().lastError());
    }
    return root;
  }

  static ObjectNode phase(PhaseController.View view) {
    return phase(view.state(), view.order(), view.source());
  }

  /** {@code source}: who decides the phase, {@code configuration} or {@code state-file}. */
  static ObjectNode phase(PhaseState state, List<String> order, PhaseSource source) {
    ObjectNode phase = JSON.createObjectNode();
    phase.put("current", state.current());
    phase.put("entered_at", state.enteredAt().toString());
    phase.put("changed_by", state.changedBy());
    phase.put("source", source.label());
    phase.put("source_file", source.file());
    // the same words as the refusal of a change, so the board never says "reload" for a restart
    source.refusal().ifPresent(howToChange -> phase.put("how_to_change", howToChange));
    ArrayNode phases = phase.putArray("order");
    order.forEach(phases::add);
    ObjectNode entered = phase.putObject("entered");
    order.forEach(name -> {
      Instant at = state.entered().get(name);
      if (at != null) {
        entered.put(name, at.toString());
      }
    });
    return phase;
  }

  static ObjectNode check(CheckResult result, Instant now) {
    ObjectNode check = JSON.createObjectNode();
    check.put("name", result.check().name());
    check.put("title", result.check().title());
    check.put("group", result.check().group());
    check.put("app", result.check().app());
    check.put("kind", result.check().kind());
    check.put("source", result.check().sourceId());
    check.put("phase", result.phase());
    check.put("expected", result.expected().label());
    check.put("state", result.state().label());
    check.put("value", result.value());
    result.quantity().ifPresent(quantity -> {
      double amount = quantity.amount();
      // counts read 2, not 2.0
      if (amount == Math.rint(amount) && Math.abs(amount) < 1e15) {
        check.put("amount", (long) amount);
      } else {
        check.put("amount", amount);
      }
      check.put("unit", quantity.unit());
    });
    if (!result.reason().isEmpty()) {
      check.put("reason", result.reason());
    }
    if (result.observedAt() != null) {
      check.put("observed_at", result.observedAt().toString());
      check.put("age_seconds", seconds(Duration.between(result.observedAt(), now)));
    }
    return check;
  }

  static ObjectNode migration(MigrationStatus status, Instant now) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", status.migration().name());
    node.put("title", status.migration().title());
    node.put("source", status.migration().sourceId());
    node.put("known", status.known());
    if (!status.known()) {
      node.put("reason", status.reason());
    }
    node.put("state", status.state(now).label());
    node.put("state_words", status.stateWords(now));
    node.put("time_words", status.timeWords(now));
    status.stateEnteredAt().ifPresent(at -> node.put("state_entered_at", at.toString()));
    if (status.state(now) == MigrationState.SILENT) {
      // the board turns a silence red past twice silent_after_seconds
      status.silentFor(now).ifPresent(quiet -> node.put("silent_for_seconds", seconds(quiet)));
    }
    node.put("silent_after_seconds", seconds(status.migration().silentAfter()));
    node.put("steps", status.migration().steps().size());
    node.put("step", status.stepNumber());
    node.put("done", status.done());
    ArrayNode steps = node.putArray("step_list");
    for (int i = 0; i < status.migration().steps().size(); i++) {
      StepDefinition step = status.migration().steps().get(i);
      ObjectNode entry = steps.addObject();
      entry.put("name", step.name());
      entry.put("title", step.title());
      status.stepExpected(i).ifPresent(d -> entry.put("expected_seconds", seconds(d)));
      status.stepExpectedWords(i).ifPresent(words -> entry.put("expected_words", words));
    }
    status.currentStep().ifPresent(step -> node.put("step_name", step.name())
        .put("step_title", step.title()));
    status.currentStepExpected().ifPresent(d -> node.put("step_expected_seconds", seconds(d)));
    status.currentStepExpectedWords().ifPresent(words -> node.put("step_expected_words", words));
    status.progress().ifPresent(progress -> {
      progress.stepStartedAt().ifPresent(at -> node.put("step_started_at", at.toString())
          .put("step_elapsed_seconds", seconds(Duration.between(at, now))));
      progress.stepRatio().ifPresent(ratio -> node.put("step_progress", ratio));
      progress.heartbeatAt().ifPresent(at -> node.put("heartbeat_at", at.toString())
          .put("heartbeat_age_seconds", seconds(Duration.between(at, now))));
      if (!progress.detail().isEmpty()) {
        node.put("detail", progress.detail());
      }
      progress.waiting().ifPresent(waiting -> node.putObject("waiting")
          .put("holder", waiting.holder())
          .put("application_name", waiting.applicationName())
          .put("since", waiting.since().toString()));
      progress.interruption().ifPresent(interruption -> node.putObject("interruption")
          .put("reason", interruption.reason())
          .put("step", status.migration().steps().get(interruption.step()).name())
          .put("at", interruption.at().toString()));
      ArrayNode attempts = node.putArray("attempts");
      progress.attempts().forEach(attempt -> {
        ObjectNode entry = attempts.addObject()
            .put("step", status.migration().steps().get(attempt.step()).name())
            .put("started", attempt.started().toString());
        attempt.ended().ifPresent(at -> entry.put("ended", at.toString()));
        entry.put("outcome", attempt.outcome());
      });
    });
    status.overallRatio().ifPresent(ratio -> node.put("progress", ratio));
    status.eta(now).ifPresent(at -> node.put("eta", at.toString()));
    return node;
  }

  /** The answer to the current phase's question: {tone, text, gate}; gate is null when none speaks. */
  static ObjectNode headline(Board board) {
    Headline headline = Headline.of(board.phase().current(), board.phaseOrder(), board.gates(),
        board.checks());
    ObjectNode node = JSON.createObjectNode();
    node.put("tone", headline.tone());
    node.put("text", headline.text());
    node.put("gate", headline.gate().map(gate -> gate.gate().name()).orElse(null));
    return node;
  }

  /** @param current the operation's phase, to say whether the gate answers its question */
  static ObjectNode gate(GateResult result, String current) {
    ObjectNode gate = JSON.createObjectNode();
    gate.put("name", result.gate().name());
    gate.put("title", result.gate().title());
    gate.put("phase", result.gate().phase());
    ArrayNode phases = gate.putArray("phases");
    result.gate().phases().forEach(phases::add);
    gate.put("speaks_for_phase", result.gate().speaksFor(current));
    gate.put("open", result.open());
    gate.put("checks", result.selected());
    ArrayNode blocking = gate.putArray("blocking");
    for (CheckResult check : result.blocking()) {
      ObjectNode entry = blocking.addObject();
      entry.put("check", check.check().name());
      entry.put("state", check.state().label());
      entry.put("value", check.value());
      entry.put("reason", check.reason());
    }
    if (result.selected() == 0) {
      gate.put("reason", "the gate selects no check");
    }
    return gate;
  }

  static ObjectNode source(SourceState state, SourceSchedule schedule, Instant now) {
    ObjectNode source = JSON.createObjectNode();
    source.put("id", state.sourceId());
    source.put("up", state.up());
    source.put("interval_seconds", seconds(schedule.minInterval()));
    source.put("stale_after_seconds", seconds(schedule.staleAfter()));
    source.put("refreshes", state.refreshes());
    state.lastSuccessAt().ifPresent(at -> {
      source.put("last_success_at", at.toString());
      source.put("age_seconds", seconds(Duration.between(at, now)));
    });
    state.lastDuration().ifPresent(d -> source.put("last_duration_seconds", seconds(d)));
    if (state.neverCompleted()) {
      source.put("last_error", "not yet polled");
    }
    state.lastErrorKind().ifPresent(kind -> source.put("last_error_kind", kind.label()));
    if (state.lastAttemptFailed()) {
      state.lastError().ifPresent(error -> source.put("last_error", error));
    }
    state.retryNotBefore().ifPresent(at -> source.put("retry_not_before", at.toString()));
    return source;
  }

  static ObjectNode event(Event event) {
    ObjectNode node = JSON.createObjectNode();
    node.put("sequence", event.sequence());
    node.put("at", event.at().toString());
    node.put("type", event.type());
    node.put("subject", event.subject());
    if (event.from() != null) {
      node.put("from", event.from());
    }
    if (event.to() != null) {
      node.put("to", event.to());
    }
    node.put("message", event.message());
    return node;
  }

  static ObjectNode error(String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("error", message);
    return node;
  }

  private static double seconds(Duration duration) {
    return Math.round(duration.toMillis() / 100.0) / 10.0;
  }
}

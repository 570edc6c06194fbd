package io.migrationexporter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The night of the maintenance, phase by phase, as the person in charge would walk it through the
 * exporter's API with the admin token: preparation (everything open), maintenance (the team closes
 * the production), migration (once the ready-to-migrate gate is open), reopening (once every
 * migration is done) and done (once the production is open again).
 */
final class Timeline implements AutoCloseable {
  static final String ACTOR = "demo timeline";
  /**
   * How long the production runs normally before the maintenance starts, at speed 1 (longer if
   * its data is still loading).
   */
  private static final Duration PREPARATION = Duration.ofSeconds(45);

  private final ExporterApi api;
  private final Team team;
  private final Pace pace;
  private final Narrator narrator;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(
      Daemons.named("demo-timeline"));

  Timeline(ExporterApi api, Team team, Pace pace, Narrator narrator) {
    this.api = api;
    this.team = team;
    this.pace = pace;
    this.narrator = narrator;
  }

  /** Walks every phase; completes once the phase is {@code done}. */
  CompletableFuture<Void> run(CompletableFuture<?> dataLoaded) {
    long preparationEnds = System.nanoTime() + pace.of(PREPARATION).toNanos();
    return CompletableFuture.runAsync(() -> {
      try {
        narrator.say("timeline", "preparation: the production is open, its data is loading");
        dataLoaded.join();
        sleepUntil(preparationEnds);
        await("every check is ok: the production is open", Timeline::allChecksOk);
        enter("maintenance", "the team puts the production in maintenance");
        team.closeProduction();
        awaitGate(MigrationRunner.GATE);
        enter("migration", "the migration script starts on the ready-to-migrate gate");
        await("every migration is done", Timeline::allMigrationsDone);
        enter("reopening", "the team brings the production back");
        team.reopenProduction();
        await("every check is ok: the production is open again", Timeline::allChecksOk);
        enter("done", "the maintenance is over");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("the timeline was stopped", e);
      } catch (IOException e) {
        throw new IllegalStateException("the exporter's API failed: " + e, e);
      }
    }, thread);
  }

  private void enter(String phase, String why) throws IOException, InterruptedException {
    api.enterPhase(phase, ACTOR);
    narrator.say("timeline", "phase " + phase + ": " + why);
  }

  /** Waits for {@code gate} to open; the migration script tells meanwhile what it waits for. */
  private void awaitGate(String gate) throws IOException, InterruptedException {
    while (api.gate(gate).status() != 200) {
      Thread.sleep(pace.interval().toMillis());
    }
    narrator.say("timeline", gate + " is open: everything is closed");
  }

  /** Polls the status until {@code done}; tells what is not ok yet when that changes. */
  private void await(String what, Predicate<JsonNode> done) throws IOException,
      InterruptedException {
    String lastWaiting = "";
    JsonNode status;
    while (!done.test(status = api.status())) {
      String waiting = notOk(status);
      if (!waiting.isEmpty() && !waiting.equals(lastWaiting)) {
        narrator.say("timeline", "waiting for " + waiting);
        lastWaiting = waiting;
      }
      Thread.sleep(pace.interval().toMillis());
    }
    narrator.say("timeline", what);
  }

  /** The checks not ok, in a few words: "a, b, c and 4 more". */
  private static String notOk(JsonNode status) {
    List<String> names = new ArrayList<>();
    status.path("checks").forEach(check -> {
      if (!check.path("state").asText().equals("ok")) {
        names.add(check.path("name").asText());
      }
    });
    return ExporterApi.few(names);
  }

  private static boolean allChecksOk(JsonNode status) {
    JsonNode checks = status.path("checks");
    if (checks.isEmpty()) {
      return false;
    }
    for (JsonNode check : checks) {
      if (!check.path("state").asText().equals("ok")) {
        return false;
      }
    }
    return true;
  }

  private static boolean allMigrationsDone(JsonNode status) {
    JsonNode migrations = status.path("migrations");
    if (migrations.isEmpty()) {
      return false;
    }
    for (JsonNode migration : migrations) {
      if (!migration.path("done").asBoolean()) {
        return false;
      }
    }
    return true;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }

  @Override
  public String toString() {
    return "the timeline";
  }
}

package io.migrationexporter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
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
  static final String PRODUCTION_OPEN = "production-open";
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
        awaitGate(PRODUCTION_OPEN, "everything is open", true);
        enter("maintenance", "the team puts the production in maintenance");
        team.closeProduction();
        // the migration script tells what it waits for
        awaitGate(MigrationRunner.GATE, "everything is closed", false);
        enter("migration", "the migration script starts on the ready-to-migrate gate");
        await("every migration is done", Timeline::allMigrationsDone);
        enter("reopening", "the team brings the production back");
        team.reopenProduction();
        awaitGate(PRODUCTION_OPEN, "everything is open again", true);
        enter("done", "the maintenance is over; the board stays up until Ctrl-C");
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

  /** Waits for {@code gate} to open; {@code tell} says what keeps it closed meanwhile. */
  private void awaitGate(String gate, String what, boolean tell) throws IOException,
      InterruptedException {
    String lastBlocking = "";
    while (true) {
      ExporterApi.Answer answer = api.gate(gate);
      if (answer.status() == 200) {
        narrator.say("timeline", gate + " is open: " + what);
        return;
      }
      String blocking = answer.blocking();
      if (tell && !blocking.equals(lastBlocking)) {
        narrator.say("timeline", "waiting for " + gate + " (" + blocking + ")");
        lastBlocking = blocking;
      }
      Thread.sleep(pace.interval().toMillis());
    }
  }

  private void await(String what, Predicate<JsonNode> done) throws IOException,
      InterruptedException {
    while (!done.test(api.status())) {
      Thread.sleep(pace.interval().toMillis());
    }
    narrator.say("timeline", what);
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

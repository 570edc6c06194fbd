package io.migrationexporter.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The migration script, as Pix ran it: it waits until the exporter's ready-to-migrate gate answers
 * 200, then, on each database at the same time, in a detached one-off container of the database's
 * app, runs the steps that turn {@code answers.id} into a bigint, logging each step's start and end
 * and {@code alive} every second (to standard output and to Datadog, where a silent one-off
 * container is noticed).
 */
final class MigrationRunner implements AutoCloseable {
  /** The sessions' application_name: the exporter's configuration names it the migration's. */
  static final String APPLICATION_NAME = "bigint-migration";
  static final String GATE = "ready-to-migrate";

  /**
   * One step: the words of its log lines, its statement, and how long the rehearsal took per
   * million rows (2 cores, both databases at once: the rewrite of the table and of its indexes,
   * then the check of the foreign key).
   */
  record Step(String subject, String sql, Duration perMillionRows) {
    String inProgress() {
      return "Altering " + subject + " type to BIGINT - In progress";
    }

    String done() {
      return "Altering " + subject + " type to BIGINT - Done";
    }
  }

  static final List<Step> STEPS = List.of(
      new Step("knowledge-elements.answerId",
          "ALTER TABLE \"knowledge-elements\" ALTER COLUMN \"answerId\" TYPE BIGINT",
          Duration.ofMillis(5000)),
      new Step("answers.id", "ALTER TABLE answers ALTER COLUMN id TYPE BIGINT",
          Duration.ofMillis(3500)),
      new Step("answers_id_seq", "ALTER SEQUENCE answers_id_seq AS BIGINT", Duration.ZERO));

  /** A database to migrate, and the Scalingo app whose one-off container runs the script. */
  record Target(DemoDatabase database, String app) {}

  private final ExporterApi api;
  private final List<Target> targets;
  private final SaasPlatforms saas;
  private final Pace pace;
  private final Narrator narrator;
  private final ExecutorService scripts = Executors.newCachedThreadPool(
      Daemons.named("demo-migration"));
  private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
      Daemons.named("demo-migration-heartbeat"));
  /** The statement each running script is executing, to cancel it when the demo stops. */
  private final Map<String, Statement> running = new ConcurrentHashMap<>();

  MigrationRunner(ExporterApi api, List<Target> targets, SaasPlatforms saas, Pace pace,
      Narrator narrator) {
    this.api = api;
    this.targets = List.copyOf(targets);
    this.saas = saas;
    this.pace = pace;
    this.narrator = narrator;
  }

  /**
   * Waits for the gate once {@code dataLoaded} completes, then migrates every target at once;
   * completes when every script has finished, exceptionally when one failed.
   */
  CompletableFuture<Void> start(CompletableFuture<?> dataLoaded) {
    return dataLoaded
        .thenRunAsync(this::awaitGate, scripts)
        .thenCompose(ignored -> {
          narrator.say("migration", "GO: " + GATE + " is open; migrating "
              + targets.stream().map(t -> t.database().name()).toList()
              + " at the same time, each in a one-off container");
          List<CompletableFuture<Void>> all = new ArrayList<>();
          for (Target target : targets) {
            all.add(CompletableFuture.runAsync(() -> migrate(target), scripts));
          }
          return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        });
  }

  /** {@code until curl -fs .../api/gates/ready-to-migrate; do sleep ...; done} */
  private void awaitGate() {
    String lastBlocking = "";
    while (true) {
      try {
        ExporterApi.Answer gate = api.gate(GATE);
        if (gate.status() == 200) {
          return;
        }
        String blocking = gate.blocking();
        if (!blocking.equals(lastBlocking)) {
          narrator.say("migration", GATE + ": " + gate.status() + ", NO GO yet (" + blocking
              + ")");
          lastBlocking = blocking;
        }
        Thread.sleep(pace.interval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("stopped while waiting for the gate", e);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot ask the exporter for the gate: " + e, e);
      }
    }
  }

  private void migrate(Target target) {
    String service = target.app();
    String host = saas.startOneOff(service);
    var beating = heartbeat.scheduleAtFixedRate(() -> log(host, service, "alive"), 0, 1,
        TimeUnit.SECONDS);
    try (Connection session = target.database().connect(APPLICATION_NAME);
        Statement sql = session.createStatement()) {
      running.put(host, sql);
      for (Step step : STEPS) {
        log(host, service, step.inProgress());
        sql.execute(step.sql());
        log(host, service, step.done());
      }
    } catch (SQLException e) {
      log(host, service, "Migration failed: SQLSTATE " + e.getSQLState());
      throw new IllegalStateException("the migration of " + target.database().name()
          + " failed: " + e.getMessage(), e);
    } finally {
      running.remove(host);
      beating.cancel(false);
      saas.stopOneOffs(service);
    }
  }

  private void log(String host, String service, String message) {
    saas.log(host, service, message);
    narrator.say(host, message);
  }

  @Override
  public void close() {
    for (Statement statement : running.values()) {
      try {
        statement.cancel();
      } catch (SQLException e) {
        // the server stops right after, which ends the statement anyway
      }
    }
    scripts.shutdownNow();
    heartbeat.shutdownNow();
  }

  @Override
  public String toString() {
    return "the migration script";
  }
}

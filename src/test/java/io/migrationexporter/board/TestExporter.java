package io.migrationexporter.board;

import io.migrationexporter.Exporter;
import io.migrationexporter.app.Modules;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.config.Plan;
import io.migrationexporter.web.WebConfig;
import io.migrationexporter.migration.MigrationDefinition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A whole exporter on loopback for the page to show, from a configuration text. */
final class TestExporter {
  static final String TOKEN = "board-test-admin-token";

  private TestExporter() {}

  /** The server part every board test needs: loopback, a free port, the admin token. */
  static String server() {
    return "server { listen = \"127.0.0.1:0\", admin-token = \"" + TOKEN + "\" }\n"
        + "defaults.interval = 500ms\n";
  }

  static Exporter start(Path dir, String config, ScriptedMigration... migrations) throws Exception {
    Path file = dir.resolve("board.conf");
    Files.writeString(file, config, StandardCharsets.UTF_8);
    ConfigLoader loader = Modules.loader();
    Plan plan = loader.load(file);
    List<io.migrationexporter.collect.Source> sources = new ArrayList<>(plan.sources());
    List<MigrationDefinition> followed = new ArrayList<>(plan.migrations());
    for (ScriptedMigration migration : migrations) {
      sources.add(migration);
      followed.add(migration.migration());
    }
    Plan withMigrations = new Plan(plan.file(), plan.server(), plan.log(), plan.phases(),
        plan.journalCapacity(), plan.apps(), sources, plan.checks(), plan.gates(), followed);
    return Exporter.start(withMigrations, WebConfig.PLAIN, loader, Clock.systemUTC());
  }

  static String base(Exporter exporter) {
    return "http://127.0.0.1:" + exporter.port();
  }

  /** Sets the phase as an operator's script would, through the API. */
  static void setPhase(Exporter exporter, String phase) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base(exporter) + "/api/phase"))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"phase\": \"" + phase + "\"}"))
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("PUT /api/phase " + phase + ": " + response.statusCode() + " "
          + response.body());
    }
  }
}

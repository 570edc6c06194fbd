package io.migrationexporter.phase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.testing.Cli;
import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas sharing their phase through one configuration file ({@code phases.current}), as a
 * Kubernetes ConfigMap or configuration management gives it to both: each replica's own small
 * file includes the shared one and keeps its state file in its own directory (its own volume).
 */
class SharedPhaseTest {
  private static final String TOKEN = "shared-phase-admin-token-7c1e";

  @TempDir
  Path dir;

  private Path shared;
  private final List<TestExporter> replicas = new ArrayList<>();

  @BeforeEach
  void sharedConfiguration() throws Exception {
    shared = dir.resolve("shared.conf");
    writeShared("preparation");
  }

  @AfterEach
  void stop() {
    replicas.forEach(TestExporter::close);
  }

  private void writeShared(String phase) throws Exception {
    Files.writeString(shared, """
        server.admin-token = "%s"
        checks.front.tcp.address = "127.0.0.1:1"
        phases.current = %s
        """.formatted(TOKEN, phase));
  }

  private TestExporter start(String name) throws Exception {
    Path own = Files.createDirectories(dir.resolve(name));
    TestExporter replica = TestExporter.start(own, "include file(\"" + shared + "\")");
    replicas.add(replica);
    return replica;
  }

  private static HttpResponse<String> putPhase(TestExporter replica, String phase) {
    return replica.put("/api/phase", "{\"phase\": \"" + phase + "\"}", "Authorization",
        "Bearer " + TOKEN);
  }

  private static JsonNode reload(TestExporter replica, int status) {
    HttpResponse<String> answer = replica.send(replica.request("/-/reload")
        .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    return TestExporter.parse(answer.body());
  }

  @Test
  void bothReplicasFollowTheSharedFileAndRefuseChangesOverHttp() throws Exception {
    TestExporter a = start("replica-a");
    TestExporter b = start("replica-b");
    String refusal = "the phase is set by the configuration (phases.current in " + shared
        + "); change it there and reload";

    for (TestExporter replica : List.of(a, b)) {
      JsonNode phase = replica.json("/api/phase", 200);
      assertThat(phase.path("current").asText()).isEqualTo("preparation");
      assertThat(phase.path("source").asText()).isEqualTo("configuration");
      assertThat(phase.path("source_file").asText()).isEqualTo(shared.toString());
      HttpResponse<String> put = putPhase(replica, "maintenance");
      assertThat(put.statusCode()).isEqualTo(409);
      assertThat(TestExporter.parse(put.body()).path("error").asText()).isEqualTo(refusal);
      HttpResponse<String> withoutToken = replica.put("/api/phase", "{\"phase\": \"done\"}");
      assertThat(withoutToken.statusCode()).as("no token can help").isEqualTo(409);
    }

    writeShared("maintenance");
    for (TestExporter replica : List.of(a, b)) {
      assertThat(reload(replica, 200).path("status").asText()).isEqualTo("reloaded");
      JsonNode phase = replica.json("/api/phase", 200);
      assertThat(phase.path("current").asText()).isEqualTo("maintenance");
      assertThat(phase.path("changed_by").asText()).isEqualTo("configuration");
      assertThat(replica.scrape().get("migration_phase", "phase", "maintenance")).isEqualTo(1);
      assertThat(replica.scrape().get("migration_phase", "phase", "preparation")).isEqualTo(0);
      assertThat(replica.scrape().value("migration_phase_entered_timestamp_seconds", "phase",
          "maintenance")).isPresent();
      assertThat(replica.json("/api/events", 200).path("events").findValuesAsText("message"))
          .anySatisfy(message -> assertThat(message)
              .startsWith("phase preparation -> maintenance (by the configuration"));
      assertThat(replica.json("/api/status", 200).path("phase").path("source").asText())
          .isEqualTo("configuration");
      assertThat(putPhase(replica, "preparation").statusCode()).isEqualTo(409);
    }
  }

  @Test
  void aPhaseNotInTheOrderIsRefusedAndThePreviousStays() throws Exception {
    TestExporter a = start("replica-a");
    TestExporter b = start("replica-b");

    writeShared("lunch");
    for (TestExporter replica : List.of(a, b)) {
      JsonNode refused = reload(replica, 400);
      assertThat(refused.path("status").asText()).isEqualTo("refused");
      assertThat(refused.path("problems").get(0).asText()).isEqualTo(shared + ":3: phases.current:"
          + " 'lunch' is not in phases.order [preparation, maintenance, migration, reopening, done]");
      assertThat(replica.json("/api/phase", 200).path("current").asText()).isEqualTo("preparation");
      assertThat(replica.json("/api/status", 200).path("config").path("last_reload_successful")
          .asBoolean()).isFalse();
    }
  }

  @Test
  void aStateFileThatCannotBeWrittenRefusesTheReloadAndThePhaseStays() throws Exception {
    TestExporter a = start("replica-a");
    Path state = dir.resolve("replica-a").resolve("migration-exporter.state.json");
    Files.delete(state);
    // a non-empty directory where the file should be: the rename over it fails
    Files.createDirectories(state.resolve("in-the-way"));

    writeShared("maintenance");
    JsonNode refused = reload(a, 400);

    assertThat(refused.path("problems").get(0).asText()).startsWith(
        "cannot save the phase state file " + state + " (").endsWith("); the phase is unchanged");
    JsonNode phase = a.json("/api/phase", 200);
    assertThat(phase.path("current").asText()).isEqualTo("preparation");
    assertThat(a.scrape().get("migration_phase", "phase", "preparation")).isEqualTo(1);
  }

  @Test
  void aRestartKeepsTheConfiguredPhaseAndWhenItWasEntered() throws Exception {
    TestExporter a = start("replica-a");
    writeShared("migration");
    reload(a, 200);
    String enteredAt = a.json("/api/phase", 200).path("entered_at").asText();
    a.close();
    replicas.remove(a);

    TestExporter restarted = start("replica-a");

    JsonNode phase = restarted.json("/api/phase", 200);
    assertThat(phase.path("current").asText()).isEqualTo("migration");
    assertThat(phase.path("entered_at").asText()).as("kept in the state file").isEqualTo(enteredAt);
    assertThat(restarted.scrape().get("migration_phase", "phase", "migration")).isEqualTo(1);
  }

  @Test
  void aReplicaStartedAfterTheChangeStartsInTheConfiguredPhase() throws Exception {
    writeShared("migration");

    TestExporter fresh = start("replica-c");

    assertThat(fresh.json("/api/phase", 200).path("current").asText()).isEqualTo("migration");
    assertThat(fresh.scrape().get("migration_phase", "phase", "migration")).isEqualTo(1);
  }

  @Test
  void withoutPhasesCurrentTheApiDecidesAgainFromThePhaseInForce() throws Exception {
    TestExporter a = start("replica-a");
    writeShared("maintenance");
    reload(a, 200);

    Files.writeString(shared, """
        server.admin-token = "%s"
        checks.front.tcp.address = "127.0.0.1:1"
        """.formatted(TOKEN));
    reload(a, 200);

    JsonNode phase = a.json("/api/phase", 200);
    assertThat(phase.path("current").asText()).isEqualTo("maintenance");
    assertThat(phase.path("source").asText()).isEqualTo("state-file");
    assertThat(putPhase(a, "migration").statusCode()).isEqualTo(200);
    assertThat(a.json("/api/phase", 200).path("current").asText()).isEqualTo("migration");
  }

  @Test
  void checkConfigTellsThePhaseAndAnInvalidOneStopsTheStart() throws Exception {
    Path own = Files.createDirectories(dir.resolve("replica-a"));
    Path config = TestExporter.writeConfig(own, "include file(\"" + shared + "\")");

    Cli.Result check = Cli.run("check-config", config.toString());
    writeShared("lunch");
    Cli.Result run = Cli.run("--config", config.toString());

    assertThat(check.exit()).as(check.all()).isZero();
    assertThat(check.out()).contains("phases: preparation > maintenance > migration > reopening"
        + " > done (current preparation, set by the configuration, state file ");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains(shared + ":3: phases.current: 'lunch' is not in phases.order");
    assertThat(own.resolve("migration-exporter.state.json")).doesNotExist();
  }

  @Test
  void phaseSetSaysWhereThePhaseIsDecided() throws Exception {
    TestExporter a = start("replica-a");
    Path tokenFile = dir.resolve("admin-token");
    Files.writeString(tokenFile, TOKEN + "\n");

    Cli.Result set = Cli.run("phase", "set", "maintenance", "--url", a.url("/"), "--token-file",
        tokenFile.toString());
    Cli.Result get = Cli.run("phase", "get", "--url", a.url("/"));

    assertThat(set.exit()).isEqualTo(1);
    assertThat(set.err()).isEqualTo("migration-exporter: HTTP 409: the exporter's configuration"
        + " sets the phase (phases.current): change it there and reload" + System.lineSeparator());
    assertThat(get.exit()).isZero();
    assertThat(get.out()).startsWith("phase preparation since ")
        .contains("set by the configuration (phases.current in " + shared + ")");
  }
}

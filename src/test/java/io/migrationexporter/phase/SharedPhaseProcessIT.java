package io.migrationexporter.phase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.ExporterProcess;
import io.migrationexporter.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two exporter processes of the server jar on one shared configuration file, reloaded by SIGHUP
 * as systemd's {@code ExecReload} or {@code docker compose kill -s SIGHUP} would: both follow
 * {@code phases.current}, both refuse a PUT, an invalid phase leaves both as they were.
 */
class SharedPhaseProcessIT {
  private static final Path SERVER_JAR = Path.of("target/migration-exporter-server.jar");
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration RELOAD = Duration.ofSeconds(20);
  private static final String TOKEN = "process-it-admin-token-93ab";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Replica> replicas = new ArrayList<>();

  /** One exporter process, its own directory (state file, log) and port. */
  private record Replica(ExporterProcess exporter, int port) {
    String phase(HttpClient http) {
      return get(http, "/api/phase").path("current").asText();
    }

    JsonNode get(HttpClient http, String path) {
      try {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }

    Process process() {
      return exporter.process();
    }

    void hangUp() throws Exception {
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process().pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(kill.exitValue()).isZero();
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Replica replica : replicas) {
      replica.exporter().close();
    }
  }

  private void writeShared(String phase) throws IOException {
    Files.writeString(dir.resolve("shared.conf"), """
        server.admin-token = "%s"
        checks.website { tcp { address = "127.0.0.1:9" } }
        phases.current = %s
        """.formatted(TOKEN, phase));
  }

  private Replica start(String name) throws Exception {
    return start(name, "include file(\"" + dir.resolve("shared.conf") + "\")\n", null);
  }

  private Replica start(String name, String hocon, String phaseVariable) throws Exception {
    return start(name, hocon, phaseVariable, List.of());
  }

  /** {@code launcher}: a command the java command runs under (nohup), or none. */
  private Replica start(String name, String hocon, String phaseVariable, List<String> launcher)
      throws Exception {
    int port = Ports.closed();
    Path own = Files.createDirectories(dir.resolve(name));
    Path config = own.resolve("exporter.conf");
    Files.writeString(config, hocon + "server.listen = \"127.0.0.1:" + port + "\"\n");
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of("java", "-jar", SERVER_JAR.toAbsolutePath().toString(), "--config",
        config.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("MIGRATION_PHASE");
    if (phaseVariable != null) {
      builder.environment().put("MIGRATION_PHASE", phaseVariable);
    }
    Replica replica = new Replica(ExporterProcess.start(builder, own.resolve("exporter.log")),
        port);
    replicas.add(replica);
    // logged once SIGHUP is handled: a hang-up before would end the process
    replica.exporter().await(name + " listening",
        () -> replica.exporter().log().contains("listening on"), START);
    return replica;
  }

  private HttpResponse<String> putPhase(Replica replica, String phase) throws Exception {
    return http.send(HttpRequest.newBuilder(replica.uri("/api/phase"))
        .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + TOKEN)
        .PUT(HttpRequest.BodyPublishers.ofString("{\"phase\": \"" + phase + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sighupAppliesTheSharedPhaseToBothProcessesAndARestartKeepsIt() throws Exception {
    writeShared("preparation");
    Replica a = start("replica-a");
    Replica b = start("replica-b");

    writeShared("maintenance");
    a.hangUp();
    b.hangUp();
    for (Replica replica : List.of(a, b)) {
      Await.until("maintenance after SIGHUP", () -> replica.phase(http).equals("maintenance"),
          RELOAD);
      HttpResponse<String> put = putPhase(replica, "migration");
      assertThat(put.statusCode()).isEqualTo(409);
      assertThat(put.body()).contains("phases.current in " + dir.resolve("shared.conf"));
    }

    writeShared("lunch");
    a.hangUp();
    b.hangUp();
    for (Replica replica : List.of(a, b)) {
      Await.until("the refusal logged", () -> replica.exporter().log().contains(
          "reload on SIGHUP refused: " + dir.resolve("shared.conf")
              + ":3: phases.current: 'lunch' is not in phases.order"), RELOAD);
      assertThat(replica.phase(http)).isEqualTo("maintenance");
      assertThat(replica.process().isAlive()).isTrue();
    }

    writeShared("maintenance");
    a.process().destroy();
    assertThat(a.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
    Replica restarted = start("replica-a");
    assertThat(restarted.phase(http)).isEqualTo("maintenance");
  }

  @Test
  void thePhaseCanComeFromTheEnvironmentAndTheRefusalSaysRestart() throws Exception {
    Replica replica = start("replica", """
        server.admin-token = "%s"
        checks.website { tcp { address = "127.0.0.1:9" } }
        phases.current = ${?MIGRATION_PHASE}
        """.formatted(TOKEN), "migration");

    assertThat(replica.phase(http)).isEqualTo("migration");
    HttpResponse<String> put = putPhase(replica, "done");
    assertThat(put.statusCode()).isEqualTo(409);
    String refusal = "the phase is set by the configuration (phases.current in an environment"
        + " variable); change it there and restart";
    assertThat(JSON.readTree(put.body()).path("error").asText()).isEqualTo(refusal);
    assertThat(replica.get(http, "/api/phase").path("how_to_change").asText())
        .as("what the board shows").isEqualTo(refusal);
  }

  @Test
  void underNohupTheLogSaysSighupWillNotReload() throws Exception {
    writeShared("preparation");
    Replica plain = start("plain");
    Replica hangUpIgnored = start("nohup", "include file(\"" + dir.resolve("shared.conf")
        + "\")\n", null, List.of("nohup"));

    String warning = "SIGHUP is ignored in this process";
    assertThat(hangUpIgnored.exporter().log()).contains(warning, "use POST /-/reload");
    assertThat(plain.exporter().log()).doesNotContain(warning);
  }
}

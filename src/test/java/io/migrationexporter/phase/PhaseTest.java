package io.migrationexporter.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.Exporter;
import io.migrationexporter.testing.Cli;
import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changing the phase over HTTP and from the command line, and keeping it across restarts. */
class PhaseTest {
  private static final String TOKEN = "phase-admin-token-51d0";
  private static final String WITH_TOKEN = """
      server.admin-token = "%s"
      checks.front.tcp.address = "127.0.0.1:1"
      """.formatted(TOKEN);
  private static final String STATE_FILE = "migration-exporter.state.json";

  @TempDir
  Path dir;

  private TestExporter exporter;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
  }

  private HttpResponse<String> putPhase(String body, String... headers) {
    return exporter.put("/api/phase", body, headers);
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  @Test
  void withoutATokenInTheRequestTheAnswerIs401() throws Exception {
    exporter = TestExporter.start(dir, WITH_TOKEN);

    HttpResponse<String> response = putPhase("{\"phase\": \"maintenance\"}");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        value -> assertThat(value).startsWith("Bearer"));
    assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("preparation");
  }

  @Test
  void withAWrongTokenTheAnswerIs403() throws Exception {
    exporter = TestExporter.start(dir, WITH_TOKEN);

    HttpResponse<String> wrong = putPhase("{\"phase\": \"maintenance\"}", "Authorization",
        bearer(TOKEN + "x"));
    HttpResponse<String> notBearer = putPhase("{\"phase\": \"maintenance\"}", "Authorization",
        "Basic " + TOKEN);

    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(TestExporter.parse(wrong.body()).path("error").asText())
        .isEqualTo("the admin token is wrong");
    assertThat(notBearer.statusCode()).isEqualTo(401);
    assertThat(wrong.body() + notBearer.body()).doesNotContain(TOKEN);
    assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("preparation");
  }

  @Test
  void withoutAConfiguredTokenPhaseChangesOverHttpAreRefused() throws Exception {
    exporter = TestExporter.start(dir, "checks.front.tcp.address = \"127.0.0.1:1\"");

    HttpResponse<String> response = putPhase("{\"phase\": \"maintenance\"}", "Authorization",
        bearer(TOKEN));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("no server.admin-token is configured");
  }

  @Test
  void unknownPhaseAndMalformedBodiesAre400() throws Exception {
    exporter = TestExporter.start(dir, WITH_TOKEN);
    String auth = bearer(TOKEN);

    HttpResponse<String> unknown = putPhase("{\"phase\": \"lunch\"}", "Authorization", auth);
    HttpResponse<String> notJson = putPhase("phase=maintenance", "Authorization", auth);
    HttpResponse<String> noPhase = putPhase("{\"stage\": \"maintenance\"}", "Authorization", auth);
    HttpResponse<String> notAnObject = putPhase("[\"maintenance\"]", "Authorization", auth);

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(TestExporter.parse(unknown.body()).path("error").asText()).isEqualTo(
        "no such phase; the phases are preparation, maintenance, migration, reopening, done");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(noPhase.statusCode()).isEqualTo(400);
    assertThat(notAnObject.statusCode()).isEqualTo(400);
    assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("preparation");
  }

  @Test
  void acceptedChangeIsServedPersistedAndSurvivesARestart() throws Exception {
    exporter = TestExporter.start(dir, WITH_TOKEN);

    HttpResponse<String> response = putPhase("{\"phase\": \"maintenance\", \"actor\": \"alice\"}",
        "Authorization", bearer(TOKEN));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = TestExporter.parse(response.body());
    assertThat(answer.path("current").asText()).isEqualTo("maintenance");
    assertThat(answer.path("changed_by").asText()).isEqualTo("alice");
    String enteredAt = answer.path("entered_at").asText();
    assertThat(exporter.json("/api/phase", 200).path("current").asText()).isEqualTo("maintenance");
    assertThat(exporter.scrape().get("migration_phase", "phase", "maintenance")).isEqualTo(1);
    JsonNode saved = TestExporter.parse(Files.readString(dir.resolve(STATE_FILE)));
    assertThat(saved.path("phase").asText()).isEqualTo("maintenance");

    exporter.close();
    exporter = TestExporter.start(dir, WITH_TOKEN);

    JsonNode restored = exporter.json("/api/phase", 200);
    assertThat(restored.path("current").asText()).isEqualTo("maintenance");
    assertThat(restored.path("entered_at").asText()).isEqualTo(enteredAt);
    assertThat(restored.path("changed_by").asText()).isEqualTo("alice");
    assertThat(exporter.scrape().get("migration_phase", "phase", "maintenance")).isEqualTo(1);
  }

  @Test
  void corruptStateFileStopsStartupAndIsLeftAsItIs() throws Exception {
    Path config = TestExporter.writeConfig(dir, WITH_TOKEN);
    Path state = dir.resolve(STATE_FILE);
    byte[] corrupt = "{\"format\": 1, \"phase\": \"maintenance\", \"entered\": {\"maint"
        .getBytes(StandardCharsets.UTF_8);
    Files.write(state, corrupt);

    PhaseStateException refused = catchThrowableOfType(PhaseStateException.class,
        () -> Exporter.start(config, Clock.systemUTC()).close());
    Cli.Result run = Cli.run("--config", config.toString());

    assertThat(refused).isNotNull();
    assertThat(refused.getMessage()).contains(state.toString()).contains("is corrupt")
        .contains("it was left as it is").doesNotContain("\n");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("migration-exporter: " + refused.getMessage()
        + System.lineSeparator());
    assertThat(Files.readAllBytes(state)).isEqualTo(corrupt);
  }

  @Test
  void stateFileNamingAPhaseNoLongerListedStopsStartup() throws Exception {
    Path config = TestExporter.writeConfig(dir, WITH_TOKEN);
    Path state = dir.resolve(STATE_FILE);
    String saved = "{\"format\": 1, \"phase\": \"cutover\", \"changed-by\": \"api\","
        + " \"entered\": {\"cutover\": \"2022-07-23T20:00:00Z\"}}";
    Files.writeString(state, saved);

    PhaseStateException refused = catchThrowableOfType(PhaseStateException.class,
        () -> Exporter.start(config, Clock.systemUTC()).close());

    assertThat(refused).isNotNull();
    assertThat(refused.getMessage()).contains("'cutover'");
    assertThat(Files.readString(state)).isEqualTo(saved);
  }

  @Test
  void phaseSetFromTheCommandLine() throws Exception {
    exporter = TestExporter.start(dir, WITH_TOKEN);
    Path tokenFile = dir.resolve("admin-token");
    Files.writeString(tokenFile, TOKEN + "\n");
    Path wrongFile = dir.resolve("wrong-token");
    Files.writeString(wrongFile, "not-the-admin-token");
    String url = exporter.url("/");

    Cli.Result set = Cli.run("phase", "set", "maintenance", "--url", url, "--token-file",
        tokenFile.toString());
    Cli.Result get = Cli.run("phase", "get", "--url", url);
    Cli.Result wrong = Cli.run("phase", "set", "migration", "--url", url, "--token-file",
        wrongFile.toString());
    Cli.Result unknown = Cli.run("phase", "set", "lunch", "--url", url, "--token-file",
        tokenFile.toString());

    assertThat(set.exit()).isEqualTo(0);
    assertThat(set.out()).startsWith("phase maintenance since ");
    assertThat(get.exit()).isEqualTo(0);
    assertThat(get.out()).startsWith("phase maintenance since ")
        .contains("(phases: preparation > maintenance > migration > reopening > done)");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("HTTP 403: refused: the admin token is wrong");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("HTTP 400: the exporter has no phase named lunch");
    assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("maintenance");
    assertThat(exporter.exporter().runtime().phases().state().changedBy()).isEqualTo("cli");
  }

  @Test
  void phaseSetAgainstNoExporterFailsWithoutAStackTrace() throws Exception {
    Path tokenFile = dir.resolve("admin-token");
    Files.writeString(tokenFile, TOKEN);

    Cli.Result result = Cli.run("phase", "set", "maintenance", "--url",
        "http://127.0.0.1:" + io.migrationexporter.testing.Ports.closed(), "--token-file",
        tokenFile.toString(), "--timeout", "1500ms");

    Cli.Result noTokenFile = Cli.run("phase", "set", "maintenance", "--token-file",
        dir.resolve("absent").toString());
    Cli.Result badTimeout = Cli.run("phase", "get", "--timeout", "soon");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("migration-exporter: cannot reach the exporter at ")
        .endsWith(": connection refused" + System.lineSeparator());
    assertThat(noTokenFile.exit()).isEqualTo(2);
    assertThat(noTokenFile.err()).startsWith("migration-exporter: cannot read the token file ");
    assertThat(badTimeout.exit()).isEqualTo(2);
    assertThat(badTimeout.err()).contains("'soon' is not a duration such as 500ms, 10s or 1m");
  }
}

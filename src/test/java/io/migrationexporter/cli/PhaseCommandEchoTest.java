package io.migrationexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.migrationexporter.testing.Cli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 finding 5: against a server that echoes the request's headers, {@code phase set}
 * printed the bearer token and the basic-auth header; on unexpected JSON, a Java message. Here a
 * loopback server echoes them in every way it can: as an error, and inside a phase answer.
 */
class PhaseCommandEchoTest {
  static final String TOKEN = "echoed-admin-token-71c3";
  static final String PASSWORD = "echoed-password-5a9d";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  HttpServer server;
  /** What the server answers next: status, and how the body uses the echoed headers. */
  volatile int status;
  volatile String shape;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      List<String> headers = new ArrayList<>();
      exchange.getRequestHeaders().forEach((name, values) ->
          values.forEach(value -> headers.add(name + ": " + value)));
      String echo = String.join("; ", headers);
      String body = switch (shape) {
        case "error" -> JSON.writeValueAsString(Map.of("error", echo));
        case "text" -> echo;
        case "phase" -> JSON.writeValueAsString(Map.of("current", "maintenance",
            "entered_at", "2026-12-05T07:00:00Z", "order", List.of("maintenance", echo)));
        case "file" -> JSON.writeValueAsString(Map.of("current", "maintenance",
            "entered_at", "2026-12-05T07:00:00Z", "order", List.of("maintenance"),
            "source", "configuration", "source_file", echo));
        case "clean" -> JSON.writeValueAsString(Map.of("current", "maintenance",
            "entered_at", "2026-12-05T07:00:00Z", "order", List.of("maintenance", "done")));
        case "password as phase" -> JSON.writeValueAsString(Map.of("current", PASSWORD,
            "entered_at", "2026-12-05T07:00:00Z", "order", List.of(PASSWORD)));
        default -> "{\"current\": 3}";
      };
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Cli.Result run(String verb, int answerStatus, String answerShape) throws IOException {
    status = answerStatus;
    shape = answerShape;
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN);
    Path passwordFile = Files.writeString(dir.resolve("password"), PASSWORD);
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    return verb.equals("get")
        ? Cli.run("phase", "get", "--url", url, "--user", "alice", "--password-file",
            passwordFile.toString())
        : Cli.run("phase", "set", "maintenance", "--url", url, "--token-file",
            tokenFile.toString(), "--user", "alice", "--password-file", passwordFile.toString());
  }

  @Test
  void noAnswerMakesPhaseSetOrGetPrintACredentialOrAJavaMessage() throws Exception {
    String basic = Base64.getEncoder().encodeToString(("alice:" + PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    List<Cli.Result> results = new ArrayList<>();
    for (String verb : List.of("set", "get")) {
      for (int answerStatus : new int[] {200, 400, 403, 500}) {
        for (String answerShape : List.of("error", "text", "phase", "file", "password as phase",
            "odd")) {
          results.add(run(verb, answerStatus, answerShape));
        }
      }
    }
    assertThat(results).allSatisfy(result -> {
      String printed = result.out() + result.err();
      assertThat(printed).doesNotContain(TOKEN, PASSWORD, basic, "Bearer", "X-Admin-Token",
          "Exception", "null", "Cannot");
      assertThat(result.exit()).isIn(0, 1);
    });
    assertThat(run("set", 200, "odd").err()).isEqualTo("migration-exporter: unexpected answer"
        + " (HTTP 200): not a phase; is --url the exporter's address?" + System.lineSeparator());
    assertThat(run("get", 200, "clean").out()).isEqualTo("phase maintenance since"
        + " 2026-12-05T07:00:00Z (phases: maintenance > done)" + System.lineSeparator());
  }
}

package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.sun.net.httpserver.HttpServer;
import io.migrationexporter.config.LogSettings;
import io.migrationexporter.log.Logging;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinel secrets in every place a configuration holds one, then everything the exporter shows a
 * person or a program: logs, every endpoint, error answers, the board page, check-config. None of
 * the sentinels may appear anywhere.
 */
class SecretRedactionTest {
  static final String ADMIN_TOKEN = "SENTINEL-ADMIN-TOKEN-5f1e";
  static final String BASIC_PASSWORD = "SENTINEL-BASIC-PASSWORD-77c2";
  static final String HEADER_TOKEN = "SENTINEL-HEADER-TOKEN-a93d";
  static final String URL_PASSWORD = "SENTINEL-URL-PASSWORD-0b4e";
  static final String BROKEN_TOKEN = "SENTINEL-BROKEN-RELOAD-3c8a";
  static final List<String> SENTINELS = List.of(ADMIN_TOKEN, BASIC_PASSWORD, HEADER_TOKEN,
      URL_PASSWORD, BROKEN_TOKEN, "SENTINEL");

  @TempDir
  Path dir;
  HttpServer target;
  final Map<String, String> receivedAuthorization = new ConcurrentHashMap<>();
  final HttpClient client = TestExporter.client(null, HttpClient.Version.HTTP_1_1);
  final String alice = TestExporter.basic("alice", BASIC_PASSWORD);

  PrintStream stderr;
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  Handler[] rootHandlers;
  Level rootLevel;

  @BeforeEach
  void startTargetAndCaptureTheLog() throws Exception {
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/", exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      receivedAuthorization.put(exchange.getRequestURI().getPath(),
          authorization == null ? "none" : authorization);
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    });
    target.start();

    Logger root = Logger.getLogger("");
    rootHandlers = root.getHandlers();
    rootLevel = root.getLevel();
    stderr = System.err;
  }

  @AfterEach
  void restore() {
    System.setErr(stderr);
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    for (Handler handler : rootHandlers) {
      root.addHandler(handler);
    }
    root.setLevel(rootLevel);
    target.stop(0);
  }

  private String config(String tokenSource) throws Exception {
    String token = "server.admin-token = \"" + ADMIN_TOKEN + "\"";
    if (tokenSource.equals("file")) {
      Files.writeString(dir.resolve("admin.token"), ADMIN_TOKEN + "\n");
      token = "server.admin-token-file = admin.token";
    }
    int port = target.getAddress().getPort();
    return token + """

        server.web-config-file = web.yml
        checks {
          with-header {
            http { url = "http://127.0.0.1:%d/header", headers { Authorization = "Bearer %s" } }
          }
          with-userinfo { http { url = "http://monitor:%s@127.0.0.1:%d/userinfo" } }
        }
        """.formatted(port, HEADER_TOKEN, URL_PASSWORD, port);
  }

  @ParameterizedTest(name = "admin token {0}, {1} log")
  @CsvSource({"inline, text", "file, json"})
  void noSentinelAppearsAnywhere(String tokenSource, String logFormat) throws Exception {
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    Logging.configure(new LogSettings(logFormat.equals("json"), "debug"));
    Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  alice: "
        + BCrypt.withDefaults().hashToString(4, BASIC_PASSWORD.toCharArray()) + "\n");
    List<String> shown = new ArrayList<>();
    String config = config(tokenSource);

    try (TestExporter exporter = TestExporter.start(dir, config + "\n" + TestExporter.ONE_CHECK)) {
      Await.until("both secrets sent upstream", () -> receivedAuthorization.size() == 2,
          Duration.ofSeconds(20));
      assertThat(receivedAuthorization).as("the secrets were used").containsEntry("/header",
          "Bearer " + HEADER_TOKEN).containsEntry("/userinfo", "Basic " + Base64.getEncoder()
          .encodeToString(("monitor:" + URL_PASSWORD).getBytes(StandardCharsets.UTF_8)));

      assertThat(put(exporter, "maintenance").statusCode()).isEqualTo(200);
      for (String path : List.of("/metrics", "/api/status", "/api/events", "/api/gates",
          "/api/phase", "/", "/-/ready", "/no-such-page")) {
        shown.add(get(exporter, path, alice));
      }
      shown.add(get(exporter, "/metrics", TestExporter.basic("alice", BASIC_PASSWORD + "x")));
      shown.add(TestExporter.send(client, exporter.request("/metrics")
          .header("Authorization", alice).POST(HttpRequest.BodyPublishers.noBody())).body());

      // A phase that cannot be saved answers 500 and logs the exception.
      Path state = dir.resolve("migration-exporter.state.json");
      Files.delete(state);
      Files.createDirectories(state.resolve("in-the-way"));
      HttpResponse<String> unsaved = put(exporter, "migration");
      assertThat(unsaved.statusCode()).isEqualTo(500);
      shown.add(unsaved.body());

      // A reload of a file broken on the line of a new secret is refused and reported.
      Files.writeString(exporter.configFile(), "server.admin-token = \"" + BROKEN_TOKEN + "\n"
          + config + TestExporter.ONE_CHECK);
      HttpResponse<String> refused = TestExporter.send(client, exporter.request("/-/reload")
          .header("Authorization", alice).header("X-Admin-Token", ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(refused.statusCode()).isEqualTo(400);
      shown.add(refused.body());
      shown.add(get(exporter, "/api/status", alice));
      shown.add(get(exporter, "/api/events", alice));
      shown.add(WebConfigTest.run("check-config", exporter.configFile().toString()).toString());
      Files.writeString(exporter.configFile(), config + TestExporter.ONE_CHECK
          + "\nserver.listen = \"127.0.0.1:0\"\n");
      WebConfigTest.Output checked =
          WebConfigTest.run("check-config", exporter.configFile().toString());
      assertThat(checked.status()).isZero();
      assertThat(checked.out()).contains("http://127.0.0.1:" + target.getAddress().getPort()
          + "/userinfo", "Authorization: <redacted>", "basic auth for 1 user (alice)");
      shown.add(checked.toString());
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("phase", "cannot save the phase state", "reload refused");
    shown.add(logged);

    assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain(SENTINELS));
  }

  private HttpResponse<String> put(TestExporter exporter, String phase) throws Exception {
    return TestExporter.send(client, exporter.request("/api/phase").header("Authorization", alice)
        .header("X-Admin-Token", ADMIN_TOKEN)
        .PUT(HttpRequest.BodyPublishers.ofString("{\"phase\": \"" + phase + "\"}")));
  }

  private String get(TestExporter exporter, String path, String authorization) throws Exception {
    HttpResponse<String> answer = TestExporter.send(client, exporter.request(path)
        .header("Authorization", authorization));
    return path + " " + answer.statusCode() + " " + answer.headers().map() + "\n" + answer.body();
  }
}

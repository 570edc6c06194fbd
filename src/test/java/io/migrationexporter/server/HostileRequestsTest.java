package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.RawHttp;
import io.migrationexporter.testing.TestExporter;
import io.migrationexporter.web.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks of issue 16 on the HTTP API, on loopback: the redaction oracle (finding 3), guessing the
 * admin token (10), and parameters, methods and refusals (11). Each request is written on a
 * socket, so that no client library tidies it up.
 */
class HostileRequestsTest {
  static final String TOKEN = "hostile-admin-token-4d2c";
  /** Loaded as a header value of a check: a secret an attacker would like to confirm. */
  static final String SECRET = "loaded-header-secret-8e1f";
  static final String GUESS = "loaded-header-secret-0000";

  /** Written where a request goes wrong: an answer must not repeat it. */
  static final String MARKER = "hostile-marker-5b7e";

  @TempDir
  static Path dir;
  @TempDir
  static Path tlsDir;
  static TestExporter exporter;
  static TestExporter tlsExporter;
  static SSLContext tlsClient;

  @BeforeAll
  static void start() throws Exception {
    exporter = TestExporter.start(dir, """
        server.admin-token = "%s"
        checks.front.http {
          url = "http://127.0.0.1:1/"
          headers { X-Api-Key = "%s" }
        }
        """.formatted(TOKEN, SECRET));
    TestPki pki = new TestPki(Files.createDirectories(tlsDir.resolve("pki")))
        .server("server", "ec");
    Files.writeString(tlsDir.resolve("web.yml"), "tls_server_config:\n  cert_file: %s\n"
        .formatted(pki.file("server.crt")) + "  key_file: %s\n".formatted(pki.file("server.key")));
    tlsExporter = TestExporter.startTls(tlsDir,
        "server.web-config-file = web.yml\n" + TestExporter.ONE_CHECK);
    tlsClient = pki.clientContext("server.crt", null);
  }

  @AfterAll
  static void stop() {
    exporter.close();
    tlsExporter.close();
  }

  private static String sendFrom(String from, String method, String target, String... headers)
      throws IOException {
    StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nConnection: close\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    return RawHttp.exchange(from, exporter.port(), request.append("\r\n").toString());
  }

  private static String send(String method, String target, String... headers) throws IOException {
    return sendFrom("127.0.0.1", method, target, headers);
  }

  /** The answer without its Date header, which differs from one second to the next. */
  private static String withoutDate(String answer) {
    return answer.replaceAll("(?im)^date: [^\r\n]*\r\n", "");
  }

  private static String body(String answer) {
    return answer.substring(answer.indexOf("\r\n\r\n") + 4);
  }

  private static String header(String answer, String name) {
    for (String line : answer.substring(0, answer.indexOf("\r\n\r\n")).split("\r\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  @Test
  void aLoadedSecretGuessedInARequestGetsTheSameAnswerAsAnyOtherGuess() throws Exception {
    Map<String, String[]> probes = new LinkedHashMap<>();
    probes.put("gate name", new String[] {"GET", "/api/gates/%s"});
    probes.put("gate names joined", new String[] {"GET", "/api/gates/a~%s~b"});
    probes.put("method", new String[] {"%s", "/metrics"});
    probes.put("events parameter", new String[] {"GET", "/api/events?after=%s"});
    probes.put("unknown path", new String[] {"GET", "/%s"});
    probes.put("board asset", new String[] {"GET", "/board/%s"});
    for (Map.Entry<String, String[]> probe : probes.entrySet()) {
      String method = probe.getValue()[0];
      String target = probe.getValue()[1];
      String secret = send(method.formatted(SECRET), target.formatted(SECRET));
      String guess = send(method.formatted(GUESS), target.formatted(GUESS));
      assertThat(RawHttp.status(secret)).as(probe.getKey()).isBetween(400, 499);
      assertThat(withoutDate(secret)).as(probe.getKey()).isEqualTo(withoutDate(guess))
          .doesNotContain("redacted").doesNotContain(GUESS);
    }
    String phase = "{\"phase\": \"%s\"}";
    String secretPhase = send("PUT", "/api/phase", "X-Admin-Token: " + TOKEN,
        "Content-Length: " + phase.formatted(SECRET).length() + "\r\n\r\n" + phase.formatted(SECRET));
    assertThat(RawHttp.status(secretPhase)).isEqualTo(400);
    assertThat(body(secretPhase)).doesNotContain("redacted").contains("no such phase");
  }

  @Test
  void wrongMethodsAre405WithTheAllowedOnesAndHeadIsServedWhereGetIs() throws Exception {
    String post = send("POST", "/metrics", "Content-Length: 0");
    assertThat(RawHttp.status(post)).isEqualTo(405);
    assertThat(header(post, "Allow")).isEqualTo("GET, HEAD");
    assertThat(header(send("DELETE", "/api/phase"), "Allow")).isEqualTo("GET, HEAD, PUT");
    assertThat(header(send("GET", "/-/reload"), "Allow")).isEqualTo("POST");
    assertThat(header(send("PUT", "/api/gates/anything", "Content-Length: 0"), "Allow"))
        .isEqualTo("GET, HEAD");

    for (String path : new String[] {"/metrics", "/", "/board/board.js", "/-/healthy",
        "/api/status", "/api/events", "/api/gates", "/api/phase"}) {
      String head = send("HEAD", path);
      assertThat(RawHttp.status(head)).as(path).isEqualTo(200);
      assertThat(body(head)).as(path).isEmpty();
    }
    String headMetrics = send("HEAD", "/metrics");
    String getMetrics = send("GET", "/metrics");
    assertThat(header(headMetrics, "Content-Type")).isEqualTo(header(getMetrics, "Content-Type"));
  }

  @Test
  void malformedEventParametersAre400WithAMessage() throws Exception {
    for (String query : new String[] {"after=abc", "after=-1", "after=1e3", "after=",
        "after=99999999999999999999", "limit=0", "limit=x", "limit=-5"}) {
      String answer = send("GET", "/api/events?" + query);
      assertThat(RawHttp.status(answer)).as(query).isEqualTo(400);
      assertThat(TestExporter.parse(body(answer)).path("error").asText()).as(query)
          .matches("query parameter (after|limit) must be a whole number of at least [01],"
              + " written in digits");
    }
    assertThat(RawHttp.status(send("GET", "/api/events?after=0&limit=5000"))).isEqualTo(200);
    assertThat(RawHttp.status(send("GET", "/api/events?after=3"))).isEqualTo(200);
  }

  @Test
  void everyRefusalSaysWhyInItsBody() throws Exception {
    Map<String, String> refusals = new LinkedHashMap<>();
    refusals.put("unknown path", send("GET", "/nowhere"));
    refusals.put("wrong method", send("BREW", "/metrics"));
    refusals.put("no token", send("PUT", "/api/phase", "Content-Length: 0"));
    refusals.put("reload without token", send("POST", "/-/reload", "Content-Length: 0"));
    String overLimit = "{\"phase\": \"" + "x".repeat(70 * 1024) + "\"}";
    refusals.put("phase body over 64 KiB", send("PUT", "/api/phase", "X-Admin-Token: " + TOKEN,
        "Content-Length: " + overLimit.length() + "\r\n\r\n" + overLimit));
    refusals.put("events parameter", send("GET", "/api/events?after=abc"));
    assertThat(refusals).allSatisfy((name, answer) -> {
      assertThat(RawHttp.status(answer)).as(name).isBetween(400, 499);
      assertThat(TestExporter.parse(body(answer)).path("error").asText()).as(name).isNotBlank();
    });
    assertThat(RawHttp.status(refusals.get("phase body over 64 KiB"))).isEqualTo(413);
  }

  /**
   * A body whose length cannot be known (a Transfer-Encoding not ending with chunked) is refused
   * at once, while the client keeps the connection open: it no longer holds a worker until the
   * client goes away.
   */
  @Test
  void aBodyOfUnknowableLengthIsRefusedAtOnce() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("PUT /api/phase HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "X-Admin-Token: " + TOKEN + "\r\nTransfer-Encoding: gzip\r\n\r\n{\"phase\"")
          .getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(socket.getInputStream().readAllBytes(),
          StandardCharsets.ISO_8859_1);
      assertThat(RawHttp.status(answer)).isEqualTo(400);
      assertThat(TestExporter.parse(body(answer)).path("error").asText())
          .contains("Transfer-Encoding");
    }
    assertThat(exporter.json("/api/phase", 200).path("current").asText())
        .as("the phase unchanged").isNotEqualTo("{");
  }

  @Test
  void wrongAdminTokensAreCountedAndAnAddressThatKeepsGuessingIsHeldOff() throws Exception {
    double before = exporter.scrape()
        .get("migration_exporter_auth_failures_total", "method", "admin_token");
    String guesser = "127.0.0.23";
    for (int i = 0; i < 10; i++) {
      String answer = sendFrom(guesser, "PUT", "/api/phase", "X-Admin-Token: guess-" + i,
          "Content-Length: 0");
      assertThat(RawHttp.status(answer)).isEqualTo(403);
    }
    String held = sendFrom(guesser, "PUT", "/api/phase", "X-Admin-Token: " + TOKEN,
        "Content-Length: 0");
    assertThat(RawHttp.status(held)).as("even the right token waits").isEqualTo(429);
    assertThat(Long.parseLong(header(held, "Retry-After"))).isBetween(1L, 61L);
    assertThat(RawHttp.status(send("POST", "/-/reload", "X-Admin-Token: " + TOKEN,
        "Content-Length: 0"))).as("another address is not held off").isEqualTo(200);

    Await.until("the failures counted", () -> exporter.scrape()
        .get("migration_exporter_auth_failures_total", "method", "admin_token") - before >= 10,
        Duration.ofSeconds(30));
  }

  /**
   * Requests that Undertow's parser refuses before any handler runs, each with {@link #MARKER}
   * where it goes wrong.
   */
  private static Map<String, String> unreadableRequests() {
    String host = "Host: 127.0.0.1\r\nConnection: close\r\n";
    Map<String, String> requests = new LinkedHashMap<>();
    requests.put("malformed request line",
        "GET /metrics?" + MARKER + " HTTP/1.1 trailing words\r\n" + host + "\r\n");
    requests.put("invalid character in a header name",
        "GET /metrics HTTP/1.1\r\n" + host + "X-" + MARKER + "\u0001: 1\r\n\r\n");
    requests.put("invalid character in the path",
        "GET /" + MARKER + "\u0001 HTTP/1.1\r\n" + host + "\r\n");
    requests.put("header block over 64 KiB", "GET /metrics HTTP/1.1\r\n" + host + "X-Note: "
        + MARKER + "x".repeat(65 * 1024) + "\r\n\r\n");
    requests.put("unknown protocol", "GET /" + MARKER + " HTTP/7.1\r\n" + host + "\r\n");
    requests.put("invalid % escape", "GET /" + MARKER + "%zz HTTP/1.1\r\n" + host + "\r\n");
    requests.put("declared body over 1 MiB", "PUT /api/phase HTTP/1.1\r\n" + host
        + "X-Note: " + MARKER + "\r\nContent-Length: 2000000\r\n\r\n");
    return requests;
  }

  /** Undertow answered these with a fixed 400 and an empty body, before any handler ran. */
  @Test
  void requestsTheParserCannotReadGetA400ThatSaysWhy() throws Exception {
    for (Map.Entry<String, String> request : unreadableRequests().entrySet()) {
      assertParserRefusal(request.getKey(),
          RawHttp.exchange("127.0.0.1", exporter.port(), request.getValue()));
    }
  }

  @Test
  void requestsTheParserCannotReadGetA400ThatSaysWhyOverTls() throws Exception {
    for (Map.Entry<String, String> request : unreadableRequests().entrySet()) {
      String name = request.getKey() + " over TLS";
      try (SSLSocket socket = (SSLSocket) tlsClient.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), tlsExporter.port())) {
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(request.getValue().getBytes(StandardCharsets.ISO_8859_1));
        assertParserRefusal(name, new String(socket.getInputStream().readAllBytes(),
            StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        throw new AssertionError(name + ": " + e, e);
      }
    }
    assertThat(TestExporter.send(TestExporter.client(tlsClient, HttpClient.Version.HTTP_1_1),
        tlsExporter.request("/-/healthy")).statusCode()).as("served after them").isEqualTo(200);
  }

  private static void assertParserRefusal(String name, String answer) {
    assertThat(RawHttp.status(answer)).as(name).isEqualTo(400);
    assertThat(header(answer, "Connection")).as(name).isEqualTo("close");
    assertThat(Integer.parseInt(header(answer, "Content-Length"))).as(name)
        .isEqualTo(body(answer).getBytes(StandardCharsets.UTF_8).length);
    assertThat(TestExporter.parse(body(answer)).path("error").asText()).as(name)
        .startsWith("the request could not be read as HTTP");
    assertThat(answer).as(name).doesNotContain(MARKER);
  }
}

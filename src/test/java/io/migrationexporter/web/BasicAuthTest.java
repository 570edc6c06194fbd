package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.migrationexporter.testing.TestExporter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** basic_auth_users in front of every endpoint, and how it shares requests with the admin token. */
class BasicAuthTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String ADMIN_TOKEN = "admin-token-for-basic-auth-test";
  static String aliceHash;

  @TempDir
  Path dir;
  TestExporter exporter;
  final HttpClient client = TestExporter.client(null, HttpClient.Version.HTTP_1_1);

  @BeforeAll
  static void hash() {
    aliceHash = BCrypt.withDefaults().hashToString(8, PASSWORD.toCharArray());
  }

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  alice: " + aliceHash
        + "\n  bob: " + WebConfigTest.U_STAR_U_2Y + "\n");
    exporter = TestExporter.start(dir, """
        server.web-config-file = web.yml
        server.admin-token = "%s"
        """.formatted(ADMIN_TOKEN) + "\n" + TestExporter.ONE_CHECK);
  }

  @AfterEach
  void stop() {
    exporter.close();
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request = exporter.request(path).method(method, method.equals("PUT")
        ? HttpRequest.BodyPublishers.ofString("{\"phase\": \"maintenance\"}")
        : HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return TestExporter.send(client, request);
  }

  @Test
  void everyEndpointAndUnknownPathAnswers401WithABasicChallengeWithoutCredentials()
      throws Exception {
    String[][] requests = {{"GET", "/metrics"}, {"GET", "/"}, {"GET", "/-/healthy"},
        {"GET", "/-/ready"}, {"GET", "/api/status"}, {"GET", "/api/events"},
        {"GET", "/api/gates"}, {"GET", "/api/gates/ready-to-migrate"}, {"GET", "/api/phase"},
        {"PUT", "/api/phase"}, {"POST", "/-/reload"}, {"GET", "/no-such-page"},
        {"DELETE", "/metrics"}};
    for (String[] request : requests) {
      HttpResponse<String> answer = send(request[0], request[1]);
      assertThat(answer.statusCode()).as(request[0] + " " + request[1]).isEqualTo(401);
      assertThat(answer.headers().firstValue("WWW-Authenticate")).as(request[1])
          .hasValue("Basic realm=\"migration-exporter\", charset=\"UTF-8\"");
      assertThat(answer.body()).as(request[1]).doesNotContain("migration_", "phase", "gate");
    }
    assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("preparation");
    HttpResponse<String> metrics = send("GET", "/metrics", "Authorization",
        TestExporter.basic("alice", PASSWORD));
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("migration_phase");
    assertThat(send("GET", "/no-such-page", "Authorization", TestExporter.basic("alice", PASSWORD))
        .statusCode()).isEqualTo(404);
  }

  @Test
  void wrongPasswordsUnknownUsersAndMalformedHeadersAre401NeverAnError() throws Exception {
    String tooLong = "x".repeat(500);
    String[] refused = {TestExporter.basic("alice", "wrong"),
        TestExporter.basic("mallory", PASSWORD),
        TestExporter.basic("alice", tooLong), TestExporter.basic("", ""), "Basic !!!not-base64",
        "Basic " + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes()), "Basic",
        "Bearer " + ADMIN_TOKEN, "Digest username=\"alice\""};
    for (String header : refused) {
      HttpResponse<String> answer = send("GET", "/metrics", "Authorization", header);
      assertThat(answer.statusCode()).as(header).isEqualTo(401);
    }
    assertThat(send("GET", "/metrics", "Authorization", TestExporter.basic("bob", "U*U"))
        .statusCode()).as("OpenBSD's test vector, written as $2y$").isEqualTo(200);
  }

  @Test
  void thePhaseEndpointTakesBasicAuthAndTheAdminTokenInXAdminToken() throws Exception {
    String alice = TestExporter.basic("alice", PASSWORD);
    HttpResponse<String> noToken = send("PUT", "/api/phase", "Authorization", alice);
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.body()).contains("X-Admin-Token");
    assertThat(send("PUT", "/api/phase", "Authorization", alice, "X-Admin-Token", "not-the-token")
        .statusCode()).isEqualTo(403);
    assertThat(send("PUT", "/api/phase", "X-Admin-Token", ADMIN_TOKEN).statusCode())
        .as("the token alone does not pass basic auth").isEqualTo(401);
    assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("preparation");

    HttpResponse<String> changed = send("PUT", "/api/phase", "Authorization", alice,
        "X-Admin-Token", ADMIN_TOKEN);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("maintenance");
  }

  @Test
  void anUnknownUserCostsAsMuchAsAWrongPassword() throws Exception {
    BasicAuth auth = WebConfig.load(dir.resolve("web.yml")).basicAuth().orElseThrow();
    assertThat(auth.unknownUserCost()).as("the highest cost of the users").isEqualTo(8);
    BasicAuth.Credentials wrong = new BasicAuth.Credentials("alice", "wrong".getBytes());
    BasicAuth.Credentials unknown = new BasicAuth.Credentials("mallory", "wrong".getBytes());
    auth.verify(wrong);
    List<Long> wrongNanos = new ArrayList<>();
    List<Long> unknownNanos = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      wrongNanos.add(timed(auth, wrong));
      unknownNanos.add(timed(auth, unknown));
    }
    Collections.sort(wrongNanos);
    Collections.sort(unknownNanos);
    // Cost 8 is some 15 ms of CPU here; without the made-up hash an unknown user takes
    // microseconds. The thread's CPU time, not the wall clock: other work on the machine
    // stretches wall times unevenly, never the bcrypt rounds a thread computes.
    assertThat(unknownNanos.get(2)).isGreaterThan(wrongNanos.get(2) / 2);
    assertThat(wrongNanos.get(2)).isGreaterThan(unknownNanos.get(2) / 2);
  }

  private static long timed(BasicAuth auth, BasicAuth.Credentials credentials) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    assertThat(auth.verify(credentials)).isEqualTo(BasicAuth.Outcome.DENIED);
    return threads.getCurrentThreadCpuTime() - start;
  }

  @Test
  void onlySuccessfulVerificationsAreRemembered() throws Exception {
    BasicAuth auth = WebConfig.load(dir.resolve("web.yml")).basicAuth().orElseThrow();
    BasicAuth.Credentials right = new BasicAuth.Credentials("alice",
        PASSWORD.getBytes(StandardCharsets.UTF_8));
    BasicAuth.Credentials wrong = new BasicAuth.Credentials("alice", "wrong".getBytes());
    assertThat(auth.remembered(right)).isFalse();
    assertThat(auth.verify(wrong)).isEqualTo(BasicAuth.Outcome.DENIED);
    assertThat(auth.remembered(wrong)).isFalse();
    assertThat(auth.verify(right)).isEqualTo(BasicAuth.Outcome.ALLOWED);
    assertThat(auth.remembered(right)).isTrue();
    assertThat(auth.remembered(wrong)).isFalse();
    assertThat(auth.remembered(new BasicAuth.Credentials("bob",
        PASSWORD.getBytes(StandardCharsets.UTF_8)))).isFalse();
    assertThat(right.toString()).doesNotContain(PASSWORD);
  }
}

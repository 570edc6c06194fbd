package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The phase endpoint: only PUT changes the phase, only with the admin token, never without one. */
class AdminTokenTest {
  static final String TOKEN = "phase-token-0123456789";

  @TempDir
  Path dir;
  final HttpClient client = TestExporter.client(null, HttpClient.Version.HTTP_1_1);

  private HttpResponse<String> send(TestExporter exporter, String method, String... headers)
      throws Exception {
    HttpRequest.Builder request = exporter.request("/api/phase").method(method,
        HttpRequest.BodyPublishers.ofString("{\"phase\": \"maintenance\"}"));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return TestExporter.send(client, request);
  }

  private static String phase(TestExporter exporter) {
    return exporter.exporter().runtime().phases().state().current();
  }

  @Test
  void withoutAConfiguredTokenPhaseChangesOverHttpAreSwitchedOff() throws Exception {
    try (TestExporter exporter = TestExporter.start(dir, TestExporter.ONE_CHECK)) {
      for (String[] headers : new String[][] {{}, {"Authorization", "Bearer anything-at-all"},
          {"X-Admin-Token", "anything-at-all"}, {"Authorization", "Bearer "}}) {
        HttpResponse<String> answer = send(exporter, "PUT", headers);
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("switched off");
      }
      assertThat(phase(exporter)).isEqualTo("preparation");
    }
  }

  @Test
  void aPutNeedsTheRightTokenAsBearerOrXAdminToken() throws Exception {
    Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
    try (TestExporter exporter = TestExporter.start(dir,
        "server.admin-token-file = admin.token\n" + TestExporter.ONE_CHECK)) {
      HttpResponse<String> none = send(exporter, "PUT");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue(
          "Bearer realm=\"migration-exporter\"");
      assertThat(send(exporter, "PUT", "Authorization", "Bearer " + TOKEN + "x").statusCode())
          .isEqualTo(403);
      assertThat(send(exporter, "PUT", "X-Admin-Token", TOKEN.substring(1)).statusCode())
          .isEqualTo(403);
      assertThat(send(exporter, "PUT", "Authorization", "Basic " + TOKEN).statusCode())
          .isEqualTo(401);
      assertThat(phase(exporter)).isEqualTo("preparation");

      assertThat(send(exporter, "PUT", "Authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(200);
      assertThat(phase(exporter)).isEqualTo("maintenance");
      HttpResponse<String> viaHeader = TestExporter.send(client, exporter.request("/api/phase")
          .header("X-Admin-Token", TOKEN)
          .PUT(HttpRequest.BodyPublishers.ofString("{\"phase\": \"migration\"}")));
      assertThat(viaHeader.statusCode()).isEqualTo(200);
      assertThat(phase(exporter)).isEqualTo("migration");
    }
  }

  @Test
  void onlyPutChangesThePhaseEvenWithTheToken() throws Exception {
    try (TestExporter exporter = TestExporter.start(dir,
        "server.admin-token = \"" + TOKEN + "\"\n" + TestExporter.ONE_CHECK)) {
      for (String method : new String[] {"POST", "DELETE", "PATCH"}) {
        assertThat(send(exporter, method, "Authorization", "Bearer " + TOKEN).statusCode())
            .as(method).isEqualTo(405);
      }
      HttpResponse<String> get = TestExporter.send(client, exporter.request("/api/phase")
          .header("Authorization", "Bearer " + TOKEN).GET());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(phase(exporter)).isEqualTo("preparation");
    }
  }
}

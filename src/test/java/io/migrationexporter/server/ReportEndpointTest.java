package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.migrationexporter.report.ReportHtml;
import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /report}: the night so far, from the journal on disk, behind the board's auth. */
class ReportEndpointTest {
  private static final String TOKEN = "admin-token-for-report-test";

  @TempDir
  Path dir;

  @Test
  void tellsTheWholeJournalOnDiskNotOnlyWhatMemoryKeeps() throws Exception {
    // An earlier night of more events than memory keeps (events.capacity = 10).
    StringBuilder earlier = new StringBuilder("{\"sequence\":1,\"at\":\"2026-01-01T00:00:00Z\","
        + "\"type\":\"phase\",\"subject\":\"preparation\",\"to\":\"preparation\","
        + "\"message\":\"starting in phase preparation\"}\n");
    for (int i = 2; i <= 20; i++) {
      earlier.append("{\"sequence\":").append(i).append(",\"at\":\"2026-01-01T00:00:")
          .append(i + 10).append("Z\",\"type\":\"config\",\"subject\":\"exporter.conf\","
              + "\"to\":\"loaded\",\"message\":\"exporter.conf loaded\"}\n");
    }
    Files.writeString(dir.resolve("migration-exporter.state.json.journal.jsonl"), earlier);
    String config = """
        server.admin-token = "%s"
        events.capacity = 10
        """.formatted(TOKEN) + TestExporter.ONE_CHECK;
    try (TestExporter exporter = TestExporter.start(dir, config)) {
      exporter.putPhase("maintenance", TOKEN);

      HttpResponse<String> report = exporter.get("/report");

      assertThat(report.statusCode()).isEqualTo(200);
      assertThat(report.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(report.headers().firstValue("Content-Security-Policy"))
          .hasValue(ReportHtml.CONTENT_SECURITY_POLICY);
      assertThat(report.body()).contains("From 2026-01-01 00:00:00 UTC", "<td>preparation</td>",
          "<td>maintenance</td>", "Database port");
    }
  }

  @Test
  void asksForTheBoardsCredentials() throws Exception {
    String password = "report-password-3e9f";
    Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  alice: "
        + BCrypt.withDefaults().hashToString(8, password.toCharArray()) + "\n");
    try (TestExporter exporter = TestExporter.start(dir, "server.web-config-file = web.yml\n"
        + TestExporter.ONE_CHECK)) {
      HttpResponse<String> anonymous = exporter.get("/report");
      HttpResponse<String> alice = exporter.get("/report", "Authorization",
          TestExporter.basic("alice", password));

      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).doesNotContain("preparation");
      assertThat(alice.statusCode()).isEqualTo(200);
      assertThat(alice.body()).contains("<td>preparation</td>");
    }
  }
}

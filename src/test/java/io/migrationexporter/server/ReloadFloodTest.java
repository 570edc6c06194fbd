package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.testing.RawHttp;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 finding 4: 520 unauthenticated {@code POST /-/reload} (also from a page on another site,
 * {@code mode: 'no-cors'}) pushed every phase event out of {@code /api/events}. Here a flood of
 * reloads four times the journal's capacity, with and without the admin token.
 */
class ReloadFloodTest {
  static final String TOKEN = "reload-flood-admin-token";
  static final String CONFIG = """
      server.admin-token = "%s"
      events.capacity = 20
      """.formatted(TOKEN) + TestExporter.ONE_CHECK;
  static final int FLOOD = 80;

  @TempDir
  Path dir;

  private static String reload(TestExporter exporter, String... headers) throws Exception {
    StringBuilder request = new StringBuilder("POST /-/reload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Length: 0\r\nConnection: close\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    return RawHttp.exchange("127.0.0.1", exporter.port(), request.append("\r\n").toString());
  }

  private static List<String> events(TestExporter exporter, String type) {
    List<String> found = new ArrayList<>();
    for (JsonNode event : exporter.json("/api/events?limit=1000", 200).path("events")) {
      if (event.path("type").asText().equals(type)) {
        found.add(event.path("to").asText());
      }
    }
    return found;
  }

  @Test
  void reloadsOverHttpNeedTheTokenAndNoFloodOfThemErasesThePhaseEvents() throws Exception {
    try (TestExporter exporter = TestExporter.start(dir, CONFIG)) {
      exporter.putPhase("maintenance", TOKEN);
      List<String> phases = events(exporter, "phase");
      assertThat(phases).contains("maintenance");

      for (int i = 0; i < FLOOD; i++) {
        String refused = reload(exporter, "Origin: http://elsewhere.example",
            "Sec-Fetch-Mode: no-cors");
        assertThat(RawHttp.status(refused)).isEqualTo(401);
      }
      assertThat(RawHttp.status(reload(exporter, "X-Admin-Token: wrong-token-1234")))
          .isEqualTo(403);
      assertThat(events(exporter, "config")).as("no reload happened").isEmpty();

      for (int i = 0; i < FLOOD; i++) {
        assertThat(RawHttp.status(reload(exporter, "X-Admin-Token: " + TOKEN))).isEqualTo(200);
      }
      assertThat(events(exporter, "config")).hasSizeBetween(1, 50).containsOnly("loaded");
      assertThat(events(exporter, "phase")).as("kept apart from the reloads").isEqualTo(phases);
    }
    try (TestExporter restarted = TestExporter.start(dir, CONFIG)) {
      assertThat(events(restarted, "phase")).as("read back from the journal file")
          .contains("maintenance");
      assertThat(events(restarted, "config")).hasSizeBetween(1, 50);
    }
  }

  @Test
  void withTheLifecycleSettingReloadsNeedNoTokenButAreNotTakenFromOtherSites() throws Exception {
    try (TestExporter exporter = TestExporter.start(dir,
        "server.enable-lifecycle = true\n" + TestExporter.ONE_CHECK)) {
      assertThat(RawHttp.status(reload(exporter))).isEqualTo(200);
      assertThat(events(exporter, "config")).containsExactly("loaded");
      for (String site : new String[] {"cross-site", "same-site"}) {
        String fromAPage = reload(exporter, "Origin: http://elsewhere.example",
            "Sec-Fetch-Site: " + site, "Sec-Fetch-Mode: no-cors");
        assertThat(RawHttp.status(fromAPage)).as(site).isEqualTo(403);
      }
      assertThat(events(exporter, "config")).as("no reload from a page").hasSize(1);
    }
    try (TestExporter exporter = TestExporter.start(dir, TestExporter.ONE_CHECK)) {
      String refused = reload(exporter);
      assertThat(RawHttp.status(refused)).isEqualTo(403);
      assertThat(refused).contains("server.enable-lifecycle");
    }
  }
}

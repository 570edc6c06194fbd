package io.migrationexporter.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events of before a restart are still served by /api/events, from the journal file. */
class JournalRestartTest {
  @TempDir
  Path dir;

  @Test
  void eventsOfBeforeARestartAreServedAfterIt() throws Exception {
    long before;
    try (TestExporter exporter = TestExporter.start(dir, TestExporter.ONE_CHECK)) {
      exporter.enterPhase("maintenance");
      before = last(exporter.json("/api/events", 200)).path("sequence").asLong();
    }
    assertThat(dir.resolve("migration-exporter.state.json.journal.jsonl")).exists();
    try (TestExporter exporter = TestExporter.start(dir, TestExporter.ONE_CHECK)) {
      exporter.enterPhase("migration");
      JsonNode events = exporter.json("/api/events", 200);
      List<String> phases = new ArrayList<>();
      events.path("events").forEach(event -> {
        if (event.path("type").asText().equals("phase")) {
          phases.add(event.path("to").asText());
        }
      });
      assertThat(phases).containsSubsequence("preparation", "maintenance", "migration");
      assertThat(last(events).path("sequence").asLong()).isGreaterThan(before);
    }
  }

  @Test
  void journalOffKeepsNoFile() throws Exception {
    try (TestExporter exporter = TestExporter.start(dir,
        TestExporter.ONE_CHECK + "events.journal = off\n")) {
      exporter.enterPhase("maintenance");
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(Path::toString)).noneMatch(name -> name.contains("journal"));
    }
  }

  private static JsonNode last(JsonNode answer) {
    JsonNode events = answer.path("events");
    return events.get(events.size() - 1);
  }
}

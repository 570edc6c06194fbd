package io.migrationexporter.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.ExporterProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 while the journal is being written: the file stays readable, only the last batch lost. */
class JournalCrashTest {
  @TempDir
  Path dir;

  @Test
  void aKilledWriterLeavesAReadableJournalMissingAtMostItsLastSecond() throws Exception {
    Path path = dir.resolve("night.journal.jsonl");
    Path log = dir.resolve("writer.log");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), JournalWriterProcess.class.getName(),
        path.toString());
    Instant killedAt;
    try (ExporterProcess writer = ExporterProcess.start(builder, log)) {
      // Several batches on disk, and the writer busy with the next one.
      writer.await("a few batches written", () -> Files.exists(path)
          && JournalFile.readAll(path).size() > 2_000, Duration.ofSeconds(60));
      writer.process().destroyForcibly().waitFor();
      killedAt = Instant.now();
    }
    List<String> printed = Files.readAllLines(log).stream()
        .filter(line -> line.matches("\\d+ \\S+")).toList();
    String lastPrinted = printed.get(printed.size() - 1);
    Instant lastRecorded = Instant.parse(lastPrinted.split(" ")[1]);

    List<Event> kept = JournalFile.readAll(path);
    assertThat(kept).hasSizeGreaterThan(2_000);
    for (int i = 0; i < kept.size(); i++) {
      assertThat(kept.get(i).sequence()).isEqualTo(i + 1);
    }
    Event last = kept.get(kept.size() - 1);
    // At most one batch lost: the events of the last second or so before the kill (the batch
    // being written, generous for a loaded machine), never an earlier one.
    assertThat(Duration.between(last.at(), lastRecorded))
        .isLessThanOrEqualTo(JournalFile.SYNC_INTERVAL.plusSeconds(4));
    assertThat(lastRecorded).isBefore(killedAt.plusMillis(1));

    // The next start goes on after the last event kept, on a line of its own.
    try (Journal journal = new Journal(Clock.systemUTC(), 100,
        JournalFile.open(path, 64L << 20, 2))) {
      assertThat(journal.record("phase", "migration", null, "migration", "restarted").sequence())
          .isEqualTo(last.sequence() + 1);
    }
    List<Event> after = JournalFile.readAll(path);
    assertThat(after.get(after.size() - 1).subject()).isEqualTo("migration");
  }
}

package io.migrationexporter.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalFileTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-07-02T20:00:00Z"),
      ZoneOffset.UTC);

  @TempDir
  Path dir;

  @Test
  void aReopenedJournalServesTheEventsOfBeforeAndGoesOnNumbering() {
    Path path = dir.resolve("night.journal.jsonl");
    try (Journal journal = journal(path, 100)) {
      journal.record("phase", "maintenance", "preparation", "maintenance", "phase -> maintenance");
      journal.record("gate", "ready-to-migrate", null, "closed", "gate is closed");
    }
    try (Journal journal = journal(path, 100)) {
      journal.record("phase", "migration", "maintenance", "migration", "phase -> migration");
      assertThat(journal.after(0, 100)).extracting(Event::sequence, Event::subject)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "maintenance"),
              org.assertj.core.groups.Tuple.tuple(2L, "ready-to-migrate"),
              org.assertj.core.groups.Tuple.tuple(3L, "migration"));
    }
    assertThat(JournalFile.readAll(path)).extracting(Event::to)
        .containsExactly("maintenance", "closed", "migration");
  }

  @Test
  void rotationKeepsTheNewestFiles() throws Exception {
    Path path = dir.resolve("night.journal.jsonl");
    int files = 3;
    for (int i = 1; i <= 40; i++) {
      // One batch per event: each write may rotate.
      try (JournalFile file = JournalFile.open(path, 400, files)) {
        file.append(new Event(i, CLOCK.instant(), "check", "check-" + i, "ok", "failing",
            "check-" + i + " is failing"));
      }
    }
    assertThat(JournalFile.rotated(path, 1)).exists();
    assertThat(JournalFile.rotated(path, 2)).exists();
    assertThat(JournalFile.rotated(path, 3)).doesNotExist();
    List<Event> kept = JournalFile.readAll(path);
    assertThat(kept).isNotEmpty().hasSizeLessThan(40);
    assertThat(kept.get(kept.size() - 1).sequence()).isEqualTo(40);
    for (int i = 1; i < kept.size(); i++) {
      assertThat(kept.get(i).sequence()).isEqualTo(kept.get(i - 1).sequence() + 1);
    }
    for (Path each : List.of(path, JournalFile.rotated(path, 1), JournalFile.rotated(path, 2))) {
      assertThat(Files.size(each)).isLessThanOrEqualTo(400);
    }
  }

  @Test
  void aCorruptLineAndATornTailAreSkippedWithAWarning() throws Exception {
    Path path = dir.resolve("night.journal.jsonl");
    String first = JournalFile.line(new Event(1, CLOCK.instant(), "phase", "maintenance",
        "preparation", "maintenance", "phase -> maintenance"));
    String third = JournalFile.line(new Event(3, CLOCK.instant(), "gate", "ready-to-migrate",
        "closed", "open", "gate is open"));
    byte[] damaged = {'{', '"', 's', (byte) 0xff, (byte) 0xfe, '\n'};
    Files.writeString(path, first + "\n");
    Files.write(path, damaged, java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(path, third + "\n" + third.substring(0, 30),
        java.nio.file.StandardOpenOption.APPEND);

    List<String> warnings = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        warnings.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger("io.migrationexporter.events");
    logger.addHandler(capture);
    try (Journal journal = journal(path, 100)) {
      assertThat(journal.after(0, 100)).extracting(Event::sequence).containsExactly(1L, 3L);
      journal.record("phase", "migration", "maintenance", "migration", "phase -> migration");
    } finally {
      logger.removeHandler(capture);
    }
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("line 2").contains("skipped"))
        .anySatisfy(w -> assertThat(w).contains("line 4").contains("skipped"));
    // The new event starts on a line of its own: only the torn half is lost.
    assertThat(JournalFile.readAll(path)).extracting(Event::sequence).containsExactly(1L, 3L, 4L);
    assertThat(Files.readString(path, StandardCharsets.ISO_8859_1)).endsWith("}\n");
  }

  private static Journal journal(Path path, int capacity) {
    try {
      return new Journal(CLOCK, capacity, JournalFile.open(path, 1 << 20, 3));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

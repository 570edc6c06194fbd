package io.migrationexporter.event;

import java.nio.file.Path;
import java.time.Clock;

/**
 * A child JVM for {@link JournalCrashTest}: records events as fast as it can, printing each
 * sequence number once recorded, until it is killed.
 */
public final class JournalWriterProcess {
  private JournalWriterProcess() {}

  public static void main(String[] args) throws Exception {
    Journal journal = new Journal(Clock.systemUTC(), 100,
        JournalFile.open(Path.of(args[0]), 64L << 20, 2));
    while (true) {
      Event event = journal.record("check", "check-" + System.nanoTime() % 7, "ok", "failing",
          "a check that keeps changing its mind, with enough words to make lines of some length");
      System.out.println(event.sequence() + " " + event.at());
      Thread.sleep(0, 200_000);
    }
  }
}

package io.migrationexporter.demo;

import java.io.PrintWriter;

/**
 * Tells the story on standard output, one line per event, each with the time since the demo
 * started, so that what the board shows can be matched with what happened.
 */
final class Narrator {
  private final PrintWriter out;
  private final long startedAt = System.nanoTime();

  Narrator(PrintWriter out) {
    this.out = out;
  }

  void say(String who, String what) {
    long seconds = (System.nanoTime() - startedAt) / 1_000_000_000L;
    synchronized (out) {
      out.printf("[%02d:%02d] %-22s %s%n", seconds / 60, seconds % 60, who, what);
      out.flush();
    }
  }

  /** A block of text without the time prefix (URLs, instructions). */
  void print(String text) {
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }
}

package io.migrationexporter.testing;

import io.migrationexporter.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in this JVM and keeps what it printed. */
public final class Cli {
  private Cli() {}

  /** Exit status and both streams of one run. */
  public record Result(int exit, String out, String err) {
    public String all() {
      return out + err;
    }
  }

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit;
    try (PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true)) {
      exit = Main.run(outWriter, errWriter, args);
    }
    return new Result(exit, out.toString(), err.toString());
  }
}

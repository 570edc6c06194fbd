package io.migrationexporter.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An exporter running in its own process (a packaged jar, the Procfile's command), its output in
 * a log file, stopped on close: for the tests of what a user actually launches.
 */
public final class ExporterProcess implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);
  private final Process process;
  private final Path log;

  private ExporterProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code builder} with no input and its output, both streams, into {@code log}. */
  public static ExporterProcess start(ProcessBuilder builder, Path log) throws IOException {
    builder.redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new ExporterProcess(builder.start(), log);
  }

  public Process process() {
    return process;
  }

  /** What the process printed so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits for {@code condition}, an exception meaning "not yet"; fails at once, with the log,
   * when the process has exited.
   */
  public void await(String what, Await.Condition condition, Duration timeout) {
    Await.retrying(what, () -> {
      if (!process.isAlive()) {
        throw new AssertionError(what + ": the process exited: " + log());
      }
      return condition.holds();
    }, timeout, POLL);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}

package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The monitoring programs the deploy tests run (Debian packages prometheus,
 * prometheus-alertmanager and docker-compose), found on the PATH. On a developer's machine
 * without them a test is skipped with a message saying what to install; in CI (CI=true) it
 * fails, since .ci/run installs them.
 */
public final class Tools {
  private Tools() {}

  /** The first of {@code names} found on the PATH; skips, or fails in CI, when none is. */
  public static Path require(String debianPackage, String... names) {
    Optional<Path> found = find(names);
    if (found.isEmpty()) {
      String message = String.join(" or ", names) + " is not installed (Debian package "
          + debianPackage + ": apt-get install " + debianPackage + ")";
      if ("true".equals(System.getenv("CI"))) {
        fail(message + "; CI must install it (.ci/run)");
      }
      Assumptions.abort(message + "; skipping");
    }
    return found.get();
  }

  public static Optional<Path> find(String... names) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : names) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** What a finished program printed (standard output and error together) and its status. */
  record Result(int exitCode, String output) {}

  /** Runs a program to its end in {@code dir}; fails the test past {@code timeout}. */
  static Result run(Path dir, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    return run(dir, timeout, command, Map.of());
  }

  /** Likewise, with {@code environment} added to the test's own. */
  static Result run(Path dir, Duration timeout, List<String> command,
      Map<String, String> environment) throws IOException, InterruptedException {
    Path log = Files.createTempFile("deploy-tool-", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        fail(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}

package io.migrationexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.migrationexporter.app.Modules;
import io.migrationexporter.testing.Cli;
import io.migrationexporter.testing.ExampleConfigs;
import io.migrationexporter.testing.Fuzz;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random edits of valid configurations never get a user anything but one clear line per problem:
 * the loader throws only {@link ConfigException}, each problem is one line naming its file, no
 * Java class or stack trace shows, {@code check-config} exits 0 or 2, and nothing hangs.
 *
 * <p>Longer runs: {@code mvn test -Dtest=ConfigFuzzTest -Dfuzz.iterations=20000 -Dfuzz.seed=7}.
 */
class ConfigFuzzTest {
  private static final long SEED = 20_220_723L;
  private static final int CASES = 200;
  /**
   * check-config loads the same way and then prints; its command line costs three loads, so it
   * runs on every fourth case only.
   */
  private static final int CHECK_CONFIG_EVERY = 4;
  /** Only a hang detector: a load takes milliseconds. */
  private static final Duration HANG = Duration.ofSeconds(10);
  private static final Pattern SUMMARY = Pattern.compile("migration-exporter: .* is invalid \\(\\d+"
      + " problems?\\)");

  @TempDir
  Path dir;

  /** A valid configuration: its files by name, the one to load, and those the fuzz edits. */
  private record Base(String name, Map<String, byte[]> files, String main, List<String> edited) {}

  /**
   * Every example shipped (the Pix board with the credentials a user gives through the
   * environment, in a file that includes it) and a corpus file that sets nearly every key.
   */
  private static List<Base> corpus() throws IOException {
    List<Base> corpus = new ArrayList<>();
    List<Path> examples;
    try (Stream<Path> listing = Files.list(Path.of("examples"))) {
      examples = listing.filter(file -> file.toString().endsWith(".conf")).sorted().toList();
    }
    for (Path example : examples) {
      String name = example.getFileName().toString();
      if (!example.equals(ExampleConfigs.PIX)) {
        corpus.add(new Base(name, Map.of(name, Files.readAllBytes(example)), name,
            List.of(name)));
        continue;
      }
      Map<String, byte[]> pix = new LinkedHashMap<>();
      pix.put("with-credentials.conf", """
          include "%s"
          sources.scalingo.pix.token = "%s"
          sources.freshping.pix.api-key = "%s"
          sources.datadog.pix { api-key = "%s", application-key = "%s" }
          """.formatted(name, ExampleConfigs.SCALINGO_TOKEN, ExampleConfigs.FRESHPING_KEY,
          ExampleConfigs.DATADOG_API_KEY, ExampleConfigs.DATADOG_APP_KEY)
          .getBytes(StandardCharsets.UTF_8));
      pix.put(name, Files.readAllBytes(example));
      corpus.add(new Base(name, pix, "with-credentials.conf",
          List.of("with-credentials.conf", name, name, name)));
    }
    Map<String, byte[]> everything = new LinkedHashMap<>();
    everything.put("everything.conf", resource("everything.conf"));
    everything.put("admin.token", resource("admin.token"));
    everything.put("web.yml", resource("web.yml"));
    corpus.add(new Base("everything", everything, "everything.conf", List.of("everything.conf",
        "everything.conf", "web.yml")));
    return corpus;
  }

  private static byte[] resource(String name) {
    try (InputStream in = ConfigFuzzTest.class.getResourceAsStream("/config-corpus/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource config-corpus/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path write(Base base, Map<String, byte[]> files) throws IOException {
    Path home = dir.resolve(base.name());
    Files.createDirectories(home);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(home.resolve(file.getKey()), file.getValue());
    }
    return home.resolve(base.main());
  }

  /** Copies the files of a failing case under target/, to run check-config on them by hand. */
  private static Path keep(Base base, Map<String, byte[]> files, Fuzz.Case fuzz) {
    Path kept = Path.of("target", "fuzz-failures", "config-" + fuzz.seed() + "-" + fuzz.index(),
        base.name()).toAbsolutePath();
    try {
      Files.createDirectories(kept);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Files.write(kept.resolve(file.getKey()), file.getValue());
      }
    } catch (IOException e) {
      return Path.of("nowhere (" + e + ")");
    }
    return kept;
  }

  @Test
  void everyBaseConfigurationIsValid() throws Exception {
    for (Base base : corpus()) {
      Path main = write(base, base.files());
      Modules.loader().load(main);
      Cli.Result check = Cli.run("check-config", main.toString());
      assertThat(check.exit()).as("%s: %s", base.name(), check.err()).isZero();
    }
  }

  @Test
  void randomEditsGiveOneClearLinePerProblemAndNeverAStackTraceOrAHang() throws Exception {
    List<Base> corpus = corpus();
    Map<String, List<String>> paths = new LinkedHashMap<>();
    Fuzz.run(SEED, CASES, fuzz -> {
      Base base = corpus.get(fuzz.random().nextInt(corpus.size()));
      String target = base.edited().get(fuzz.random().nextInt(base.edited().size()));
      String original = new String(base.files().get(target), StandardCharsets.UTF_8);
      ConfigEdits edits = new ConfigEdits(fuzz.random(),
          paths.computeIfAbsent(base.name() + "/" + target, key -> ConfigEdits.paths(
              target.endsWith(".conf") ? original : "")), target);
      Map<String, byte[]> files = new LinkedHashMap<>(base.files());
      byte[] edited = edits.apply(original);
      files.put(target, edited);
      String input = base.name() + "/" + target + " after " + edits.done() + ":\n    "
          + Fuzz.excerpt(new String(edited, StandardCharsets.UTF_8), 1500);
      try {
        Path main = write(base, files);
        assertTimeoutPreemptively(HANG, () -> loadFailsOnlyWithClearProblems(main),
            () -> "loading hung on " + input);
        if (fuzz.index() % CHECK_CONFIG_EVERY == 0) {
          assertTimeoutPreemptively(HANG, () -> checkConfigPrintsNoStackTrace(main),
              () -> "check-config hung on " + input);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n  input (files kept in " + keep(base, files,
            fuzz) + "): " + input, e);
      }
    });
  }

  @Test
  void editsTheFuzzFoundMishandledGiveOneClearLine() throws Exception {
    Map<String, String> examples = new LinkedHashMap<>();
    examples.put("deep = " + "[".repeat(100_000), "nested too deeply");
    examples.put("deep " + "a {".repeat(10_000) + "}".repeat(10_000), "nested too deeply");
    examples.put("log.format = \"\"\"two\nlines\"\"\"", "'two\\nlines' is not one of text, json");
    examples.put("log.format = \"" + "x".repeat(100_000) + "\"", "... (");
    examples.put("include required(classpath(\"missing.conf\"))", "resource not found");
    examples.put("include required(\"\")", "not found");
    examples.put("sources.freshping = x", "sources.freshping: expected an object");
    examples.put("apps = [a]", "apps: expected an object");
    examples.put("checks = 3", "checks: expected an object");
    examples.put("gates = true", "gates: expected an object");
    examples.put("sources = x", "sources: expected an object");
    examples.put("phases.state-file = \"\\ud800\"", "is not a usable path");
    examples.put("checks.c.tcp { address = \"127.0.0.1:1\", timeout = 106751d }",
        "must be at most 365d");
    examples.put("sources.datadog.d { url = \"http://127.0.0.1:99999/\", api-key = abcdefgh,"
        + " application-key = abcdefgh, metrics.m.query = q }", "invalid port");
    examples.put("checks.c.http { url = \"http://127.0.0.1:1/\", closed-body-regex = \""
        + "x".repeat(100_000) + "\" }", "too long");
    Path home = Files.createDirectories(dir.resolve("examples"));
    Path main = home.resolve("exporter.conf");
    for (Map.Entry<String, String> example : examples.entrySet()) {
      Files.writeString(main, example.getKey() + "\n");
      String shown = Fuzz.excerpt(example.getKey(), 80);
      assertTimeoutPreemptively(HANG, () -> loadFailsOnlyWithClearProblems(main),
          () -> "loading hung on " + shown);
      assertThat(Cli.run("check-config", main.toString()).err()).as(shown)
          .contains(example.getValue());
    }
  }

  private static void loadFailsOnlyWithClearProblems(Path main) {
    ClearRefusals.assertLoadsOrRefusesClearly(Modules.loader(), main, List.of());
  }

  private static void checkConfigPrintsNoStackTrace(Path main) {
    Cli.Result check = Cli.run("check-config", main.toString());
    assertThat(check.exit()).as("check-config exit status; it printed:%n%s", check.all())
        .isIn(0, 2);
    if (check.exit() == 2) {
      List<String> lines = check.err().lines().toList();
      assertThat(lines).as("one line per problem, then the summary").isNotEmpty();
      assertThat(lines.get(lines.size() - 1)).matches(SUMMARY);
      assertThat(check.out()).isEmpty();
    }
    assertThat(check.err()).doesNotContain("\tat ").doesNotContainPattern(ClearRefusals.JAVA_LEAK);
  }
}

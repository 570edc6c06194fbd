package io.migrationexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.app.Modules;
import io.migrationexporter.cli.PlanDescription;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.demo.fakes.Fault;
import io.migrationexporter.source.flag.MaintenanceFlagCheckKind;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Fuzz;
import io.migrationexporter.testing.HostileUpstream;
import io.migrationexporter.testing.MetricDocs;
import io.migrationexporter.testing.RawLogCapture;
import io.migrationexporter.testing.SafeMessages;
import io.migrationexporter.testing.TestExporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every kind passes: each registered check and source kind ({@link Modules}, and the
 * tests' own {@link MaintenanceFlagCheckKind}) is run from the example it gives of itself
 * ({@link CheckKind#example}, {@link SourceKind#example}), so that a new kind is covered here as
 * soon as it is registered, without editing this test. Its secrets are sentinels, looked for in
 * everything the exporter prints, logs (before redaction) and serves.
 *
 * <p>One kind: {@code mvn test -Dtest=KindContractTest -Dcontract.kind=postgres}. Longer runs:
 * {@code mvn test -Dtest=KindContractTest -Dfuzz.iterations=2000 -Dfuzz.seed=7}.
 */
class KindContractTest {
  private static final Pattern KIND_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  /** {@code <kind of source>:<the names that tell it from the others>}. */
  private static final Pattern SOURCE_ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*:\\S+");
  private static final Pattern FAMILY = Pattern.compile("migration_[a-z0-9]+(_[a-z0-9]+)*");
  private static final Pattern SERVED_FAMILY = Pattern.compile("(?m)^# TYPE (\\S+)");
  private static final long SEED = 20_261_205L;
  private static final int CONFIG_CASES = 40;
  /** Random JSON answers per kind, besides the fixed hostile ones. */
  private static final int JSON_CASES = 4;
  /** Only a hang detector: a load takes milliseconds. */
  private static final Duration HANG = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String LOOPBACK = "127.0.0.1";

  @TempDir
  Path dir;

  /**
   * One registered kind, by the role it plays and its name, with its example, its families, the
   * loader it is registered on and the pages that document its configuration and its families.
   */
  record Kind(String role, String name, Function<ExampleTarget, KindExample> example,
      List<MetricDef> families, Supplier<ConfigLoader> loader, Path configurationDocs,
      Path metricDocs) {
    @Override
    public String toString() {
      return role + " " + name;
    }

    ExampleTarget target(int port) {
      return new ExampleTarget(LOOPBACK, port, Integer.toHexString(toString().hashCode()));
    }
  }

  /**
   * Every kind of {@link Modules}, then the tests' example kind on a loader of its own; only the
   * kinds named {@code -Dcontract.kind=<name>} when it is set.
   */
  static Stream<Kind> kinds() {
    String only = System.getProperty("contract.kind", "");
    return registered().filter(kind -> only.isEmpty() || kind.name().equals(only));
  }

  private static Stream<Kind> registered() {
    Path configuration = Path.of("docs", "configuration.md");
    Path metrics = Path.of("docs", "metrics.md");
    CheckKind<?> flag = new MaintenanceFlagCheckKind();
    Supplier<ConfigLoader> withFlag = () -> new ConfigLoader(Stream.concat(
        Modules.checkKinds().stream(), Stream.of(flag)).toList(), Modules.sourceKinds());
    // The example kind's two documentation rows are the ones docs/architecture.md shows.
    Path architecture = Path.of("docs", "architecture.md");
    return Stream.of(
        Modules.checkKinds().stream().map(kind -> new Kind("check kind", kind.name(),
            kind::example, kind.families(), Modules::loader, configuration, metrics)),
        Modules.sourceKinds().stream().map(kind -> new Kind("source kind", kind.name(),
            kind::example, kind.families(), Modules::loader, configuration, metrics)),
        Stream.of(new Kind("check kind", flag.name(), flag::example, flag.families(), withFlag,
            architecture, architecture)))
        .flatMap(kinds -> kinds);
  }

  /** Writes the files the example names; the caller writes the configuration beside them. */
  private void writeFiles(KindExample example) throws IOException {
    for (Map.Entry<String, String> file : example.files().entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
  }

  @Test
  void kindNamesFollowTheNamingRulesAndNoTwoKindsOfARoleShareOne() {
    Map<String, List<String>> names = registered().collect(Collectors.groupingBy(Kind::role,
        Collectors.mapping(Kind::name, Collectors.toList())));
    names.forEach((role, list) -> {
      assertThat(list).as("%s names", role).doesNotHaveDuplicates()
          .allSatisfy(name -> assertThat(name).matches(KIND_NAME));
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void familiesFollowTheNamingRulesAndTheKindIsDocumented(Kind kind) throws IOException {
    Map<String, MetricDocs.Row> rows = MetricDocs.rows(kind.metricDocs());
    for (MetricDef family : kind.families()) {
      assertThat(family.name()).as("a family of the %s", kind).matches(FAMILY);
      MetricDocs.Row row = rows.get(family.servedName());
      assertThat(row).as("%s of the %s in %s", family.servedName(), kind, kind.metricDocs())
          .isNotNull();
      assertThat(MetricDocs.differences(family, row)).as("%s in %s", family.servedName(),
          kind.metricDocs()).isEmpty();
    }
    // A check kind has a heading or a table row of its own; a source kind its sources.<kind> block.
    Pattern documented = kind.role().equals("check kind")
        ? Pattern.compile("(?m)^[#|].*`" + Pattern.quote(kind.name()) + "`")
        : Pattern.compile("`sources\\." + Pattern.quote(kind.name()) + "\\.");
    assertThat(Files.readString(kind.configurationDocs()))
        .as("the %s in %s", kind, kind.configurationDocs()).containsPattern(documented);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theExampleLoadsWithIdsThatFollowTheRulesAndADescriptionWithoutItsSecrets(Kind kind)
      throws Exception {
    ExampleTarget target = kind.target(1);
    KindExample example = kind.example().apply(target);
    writeFiles(example);
    Plan plan = kind.loader().get().load(TestExporter.writeConfig(dir, example.hocon()));
    assertThat(plan.sources()).as("the example's sources").isNotEmpty()
        .allSatisfy(source -> assertThat(source.id()).matches(SOURCE_ID));
    if (kind.role().equals("check kind")) {
      assertThat(plan.checks()).as("the example's checks")
          .anySatisfy(check -> assertThat(check.kind()).isEqualTo(kind.name()));
    }
    String description = PlanDescription.of(plan);
    for (String secret : target.secrets()) {
      assertThat(description).as("check-config's description, before redaction")
          .doesNotContain(secret);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void fuzzedExamplesGiveClearProblemsNeverAnExceptionNorASecret(Kind kind) {
    ExampleTarget target = kind.target(1);
    KindExample example = kind.example().apply(target);
    List<String> paths = ConfigEdits.paths(example.hocon());
    ConfigLoader loader = kind.loader().get();
    Fuzz.run(SEED ^ kind.toString().hashCode(), CONFIG_CASES, fuzz -> {
      ConfigEdits edits = new ConfigEdits(fuzz.random(), paths, TestExporter.CONFIG_NAME);
      byte[] edited = edits.apply(example.hocon());
      try {
        writeFiles(example);
        Path main = Files.write(dir.resolve(TestExporter.CONFIG_NAME), edited);
        assertTimeoutPreemptively(HANG, () -> ClearRefusals.assertLoadsOrRefusesClearly(loader,
            main, target.secrets()), () -> "loading hung after " + edits.done());
      } catch (IOException e) {
        throw new AssertionError(e);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n  after " + edits.done() + ":\n    "
            + Fuzz.excerpt(new String(edited, StandardCharsets.UTF_8), 1500), e);
      }
    });
  }

  /**
   * An answer no API gives: {@code understood} when a kind may read it (a JSON value of the
   * right shape by chance), otherwise no source reading an API may be up after it.
   */
  private record Hostile(String name, boolean understood, Consumer<HostileUpstream> setup) {}

  private static List<Hostile> hostileAnswers(Random random) {
    String echo = "\"" + HostileUpstream.ECHO + "\"";
    byte[] garbage = new byte[1 + random.nextInt(4096)];
    random.nextBytes(garbage);
    List<Hostile> answers = new ArrayList<>(List.of(
        new Hostile("random bytes", false, up -> up.rawBody("/", (path, body) -> garbage)),
        new Hostile("null", false, up -> up.answer(200, "null")),
        new Hostile("a string", false, up -> up.answer(200, echo)),
        new Hostile("nested arrays", false, up -> up.answer(200, "[[[" + echo + "]]]")),
        new Hostile("an HTML page", false, up -> up.fault(Fault.HTML)),
        new Hostile("JSON cut short", false, up -> {
          up.answer(200, "{\"items\":[{\"name\":" + echo + "}],\"results\":[]}");
          up.fault(Fault.TRUNCATED_JSON);
        }),
        new Hostile("500", false, up -> up.answer(500, "{\"errors\":[" + echo + "]}")),
        new Hostile("401", false, up -> up.answer(401, "{\"error\":" + echo + "}")),
        new Hostile("429 with Retry-After", false, up -> up.fault(Fault.RATE_LIMITED)),
        new Hostile("429 without Retry-After", false,
            up -> up.fault(Fault.RATE_LIMITED_SILENTLY)),
        new Hostile("no answer", false, up -> up.fault(Fault.HANG)),
        new Hostile("20 MiB", false, up -> up.fault(Fault.HUGE_BODY))));
    for (int i = 0; i < JSON_CASES; i++) {
      String json = randomJson(random, 3);
      answers.add(new Hostile("random JSON " + json, true, up -> up.answer(200, json)));
    }
    return answers;
  }

  /** Keys APIs use, so that random objects reach past a source's first look. */
  private static final List<String> KEYS = List.of("items", "results", "data", "series",
      "containers", "addons", "database", "token", "status", "errors", "next", "metadata",
      "kind", "spec", "name", "id", "meta", "page", "pointlist", "attributes");

  private static String randomJson(Random random, int depth) {
    int choice = random.nextInt(depth > 0 ? 9 : 6);
    return switch (choice) {
      case 0 -> "null";
      case 1 -> random.nextBoolean() ? "true" : "false";
      case 2 -> String.valueOf(random.nextInt(2001) - 1000);
      case 3 -> "-1e400";
      case 4 -> "\"" + HostileUpstream.ECHO + "\"";
      case 5 -> "\"\"";
      case 6 -> Stream.generate(() -> randomJson(random, depth - 1)).limit(random.nextInt(4))
          .collect(Collectors.joining(",", "[", "]"));
      default -> Stream.generate(() -> "\"" + KEYS.get(random.nextInt(KEYS.size())) + "\":"
          + randomJson(random, depth - 1)).limit(1 + random.nextInt(4))
          .collect(Collectors.joining(",", "{", "}"));
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void hostileAnswersEndInUnknownWithAnErrorKindAndNoSecretShows(Kind kind) throws Exception {
    StringBuilder served = new StringBuilder();
    List<String> secrets;
    try (RawLogCapture log = RawLogCapture.install();
         HostileUpstream upstream = new HostileUpstream()) {
      upstream.start();
      ExampleTarget target = kind.target(upstream.port());
      KindExample example = kind.example().apply(target);
      secrets = target.secrets();
      writeFiles(example);
      try (TestExporter exporter = TestExporter.start(dir, example.hocon(), kind.loader().get())) {
        JsonNode status = exporter.json("/api/status", 200);
        for (Hostile answer : hostileAnswers(new Random(SEED ^ kind.toString().hashCode()))) {
          upstream.clearFaults();
          upstream.answer(200, "{}");
          answer.setup().accept(upstream);
          String what = kind + " answered " + Fuzz.excerpt(answer.name(), 200);
          status = refreshedTwice(exporter, status, what);
          for (JsonNode source : status.path("sources")) {
            endsWell(what, source, secrets, example.probe() || answer.understood());
          }
          if (!example.probe() && !answer.understood()) {
            assertThat(status.path("checks")).as("%s: the checks", what)
                .allSatisfy(check -> assertThat(check.path("state").asText())
                    .as("check %s", check.path("name").asText()).isEqualTo("unknown"));
          }
          // Each request may wait for a refresh: the status was read, the rest once at the end.
          served.append(status).append(exporter.metrics());
        }
        served.append(exporter.served());
      }
      served.append(log.text());
    }
    for (String secret : secrets) {
      String base64 = Base64.getEncoder().withoutPadding()
          .encodeToString(secret.getBytes(StandardCharsets.UTF_8));
      assertThat(served.toString()).as("served or logged").doesNotContain(secret, base64);
    }
    Matcher family = SERVED_FAMILY.matcher(served);
    while (family.find()) {
      assertThat(family.group(1)).as("a family served").matches(FAMILY);
    }
  }

  /**
   * /api/status once every source refreshed twice more than in {@code before}: once at least
   * under the answer set since.
   */
  private static JsonNode refreshedTwice(TestExporter exporter, JsonNode before, String what) {
    Map<String, Long> refreshes = new HashMap<>();
    for (JsonNode source : before.path("sources")) {
      refreshes.put(source.path("id").asText(), source.path("refreshes").asLong());
    }
    assertThat(refreshes).as("the sources of the example").isNotEmpty();
    return Await.until(what + ": two more refreshes of " + refreshes.keySet(),
        () -> exporter.json("/api/status", 200),
        status -> {
          for (JsonNode source : status.path("sources")) {
            if (source.path("refreshes").asLong()
                < refreshes.getOrDefault(source.path("id").asText(), 0L) + 2) {
              return false;
            }
          }
          return true;
        }, WAIT);
  }

  /**
   * A refresh ends in a reading, where {@code mayRead}, or in a failure of a known kind with a
   * safe message: never an exception of the exporter's own.
   */
  private static void endsWell(String what, JsonNode source, List<String> secrets,
      boolean mayRead) {
    String id = what + ": source " + source.path("id").asText();
    if (source.path("up").asBoolean()) {
      assertThat(mayRead).as("%s is up on an answer it cannot understand", id).isTrue();
      return;
    }
    String kind = source.path("last_error_kind").asText();
    String message = source.path("last_error").asText();
    assertThat(kind).as("%s failed with '%s'", id, message).isNotEmpty()
        .isNotEqualTo(ErrorKind.INTERNAL.label());
    SafeMessages.assertSafe(id, message, secrets);
  }
}

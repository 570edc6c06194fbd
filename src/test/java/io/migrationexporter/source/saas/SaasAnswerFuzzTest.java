package io.migrationexporter.source.saas;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.app.Modules;
import io.migrationexporter.collect.Collector;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.config.Plan;
import io.migrationexporter.demo.fakes.FakeDatadog;
import io.migrationexporter.demo.fakes.FakeFreshping;
import io.migrationexporter.demo.fakes.FakeKubernetes;
import io.migrationexporter.demo.fakes.FakeScalingo;
import io.migrationexporter.demo.fakes.FakeServer;
import io.migrationexporter.testing.Fuzz;
import io.migrationexporter.testing.SafeMessages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SaaS sources read whatever an API sends through their real code path (the fakes on
 * loopback, the shared HTTP client, the collector) and always end a refresh with a reading or a
 * {@link ErrorKind#BAD_PAYLOAD} failure whose message is one safe line: never an internal error,
 * never an exception of another type, never a hang.
 *
 * <p>Longer runs: {@code mvn test -Dtest=SaasAnswerFuzzTest -Dfuzz.iterations=20000 -Dfuzz.seed=7}.
 */
class SaasAnswerFuzzTest {
  private static final long SEED = 20_220_724L;
  private static final int CASES = 300;
  /** Only a hang detector: the sources' own refresh limits are far shorter. */
  private static final Duration HANG = Duration.ofSeconds(60);
  private static final String SCALINGO_TOKEN = "tk-us-fuzz-scalingo-token-0001";
  private static final String FRESHPING_KEY = "fuzz-freshping-api-key-0001";
  private static final String DD_API_KEY = "fuzz-dd-api-key-00000001";
  private static final String DD_APP_KEY = "fuzz-dd-app-key-00000001";
  private static final String KUBERNETES_TOKEN = "fuzz-kubernetes-token-00000001";

  @TempDir
  Path dir;
  private FakeScalingo scalingo;
  private FakeFreshping freshping;
  private FakeDatadog datadog;
  private FakeKubernetes kubernetes;
  private ExecutorService blocking;
  private ConfigLoader loader;

  /**
   * One answer to mutate: the fake and path prefix that send it, the sources that read it, and
   * the failures allowed besides {@link ErrorKind#BAD_PAYLOAD}. Answers whose values the source
   * sends back (a token, an add-on id, a next-page link) may lead the API to refuse the next
   * call, which the source then reports as the API's own answer.
   */
  private record Target(String name, FakeServer fake, String pathPrefix, String sourcePrefix,
      Set<ErrorKind> alsoAllowed) {}

  @BeforeEach
  void fakes() {
    Instant now = Instant.now();
    scalingo = new FakeScalingo(Clock.systemUTC());
    scalingo.start();
    scalingo.acceptToken(SCALINGO_TOKEN);
    scalingo.app("acme-api").scale("web", 2).scale("worker", 1).database("ad-acme-pg")
        .backups(false).connections(7);
    scalingo.app("acme-api").runOneOff(now.minusSeconds(600));
    freshping = new FakeFreshping(FRESHPING_KEY, "acme");
    freshping.start();
    freshping.check(101, "Acme App", "AV").check(102, "Acme API", "PS").check(103, "Acme Orga", "NR")
        .check(104, "Acme Admin", "PS").check(105, "Acme Docs", "SCE");
    freshping.pageSize(2);
    datadog = new FakeDatadog(DD_API_KEY, DD_APP_KEY);
    datadog.start();
    String host = "acme-api-one-off-1001";
    datadog.log(now.minusSeconds(3600), host, "acme-api", "copy started")
        .log(now.minusSeconds(1800), host, "acme-api", "copy done")
        .log(now.minusSeconds(1700), host, "acme-api", "swap started")
        .log(now.minusSeconds(60), host, "acme-api", "alive")
        .log(now.minusSeconds(30), "acme-api-one-off-1002", "acme-api", "copy started");
    datadog.point("avg:postgresql.cpu{app:acme}", now.minusSeconds(120), 41.5)
        .point("avg:postgresql.cpu{app:acme}", now.minusSeconds(60), 57.25);
    kubernetes = new FakeKubernetes();
    kubernetes.start();
    kubernetes.acceptToken(KUBERNETES_TOKEN);
    kubernetes.deployment("acme", "acme-api", 0, 0, 0).pod("acme", "acme-api-1", "acme-api")
        .statefulSet("acme", "acme-db", 1, 1, 1).pod("acme", "acme-db-0", "acme-db")
        .cronJob("acme", "acme-nightly", true).job("acme", "acme-nightly-1", "acme-nightly", 1);
    kubernetes.terminatePod("acme", "acme-api-1", 20);
    blocking = Executors.newFixedThreadPool(2);
    loader = Modules.loader();
  }

  @AfterEach
  void stop() throws InterruptedException {
    scalingo.close();
    freshping.close();
    datadog.close();
    kubernetes.close();
    blocking.shutdownNow();
    blocking.awaitTermination(5, TimeUnit.SECONDS);
  }

  private Path config() throws Exception {
    Path file = dir.resolve("exporter.conf");
    Files.writeString(dir.resolve("kubernetes-token"), KUBERNETES_TOKEN);
    Files.writeString(file, """
        server.listen = "127.0.0.1:0"
        sources {
          scalingo.acme {
            token = "%s"
            api-url = "%s"
            db-api-url = "%s"
            auth-url = "%s"
            timeout = 10s
            apps { acme-api { database {}, open-minimum { web = 2 } } }
          }
          freshping.acme { api-key = "%s", subdomain = acme, url = "%s", timeout = 10s }
          datadog.acme {
            url = "%s"
            api-key = "%s"
            application-key = "%s"
            timeout = 10s
            metrics { db-cpu { query = "avg:postgresql.cpu{app:acme}" } }
            logs {
              rewrite {
                query = "service:acme-api"
                heartbeat = "^alive$"
                host = "one-off"
                window = 24h
                page-size = 2
                migrations.bigint {
                  steps = [
                    { name = copy, start = "copy started", done = "copy done" }
                    { name = swap, start = "swap started", done = "swap done" }
                  ]
                }
              }
            }
          }
          kubernetes.acme {
            api-url = "%s", token-file = kubernetes-token, namespace = acme, timeout = 10s
            page-size = 1
          }
        }
        checks {
          workloads { kubernetes-workloads { cluster = acme, selector = "app.kubernetes.io/part-of" } }
          cronjobs { kubernetes-cronjobs { cluster = acme, names = [acme-nightly] } }
          containers { scalingo-containers { account = acme, app = acme-api } }
          backups { scalingo-backups { account = acme, app = acme-api } }
          all-monitors { freshping { account = acme, all = true } }
          api-monitor { freshping { account = acme, check = "Acme API" } }
          orga-monitor { freshping { account = acme, check-id = 103 } }
        }
        """.formatted(SCALINGO_TOKEN, scalingo.url(), scalingo.url(), scalingo.url(),
        FRESHPING_KEY, freshping.apiUrl(), datadog.url(), DD_API_KEY, DD_APP_KEY,
        kubernetes.url()));
    return file;
  }

  private List<Target> targets() {
    Set<ErrorKind> none = Set.of();
    return List.of(
        new Target("Scalingo /ps", scalingo, "/v1/apps/acme-api/ps", "scalingo:", none),
        new Target("Scalingo /containers", scalingo, "/v1/apps/acme-api/containers", "scalingo:",
            none),
        new Target("Scalingo database API", scalingo, "/api/databases/", "scalingo-database:",
            none),
        new Target("Scalingo add-ons and add-on token", scalingo, "/v1/apps/acme-api/addons",
            "scalingo-database:", Set.of(ErrorKind.AUTH, ErrorKind.NOT_FOUND)),
        new Target("Scalingo token exchange", scalingo, "/v1/tokens/exchange", "scalingo",
            Set.of(ErrorKind.AUTH)),
        new Target("Freshping /checks/", freshping, "/api/v1/checks/", "freshping:",
            Set.of(ErrorKind.NOT_FOUND)),
        new Target("Datadog log search", datadog, "/api/v2/logs/events/search", "datadog-logs:",
            none),
        new Target("Datadog metric query", datadog, "/api/v1/query", "datadog-metric:", none),
        new Target("Kubernetes Deployments", kubernetes, "/apis/apps/v1/", "kubernetes:", none),
        new Target("Kubernetes pods", kubernetes, "/api/v1/", "kubernetes:", none),
        new Target("Kubernetes CronJobs and Jobs", kubernetes, "/apis/batch/v1/", "kubernetes:",
            none));
  }

  @Test
  void theUnmutatedAnswersGiveReadings() throws Exception {
    Plan plan = loader.load(config());
    Map<String, SourceState> states = refresh(plan.sources());
    assertThat(states).hasSize(6).allSatisfy((id, state) -> assertThat(state.up())
        .as("%s: %s", id, state.lastError()).isTrue());
  }

  @Test
  void mutatedAnswersEndInAReadingOrABadPayloadOnOneSafeLine() throws Exception {
    Path config = config();
    List<Target> targets = targets();
    Fuzz.run(SEED, CASES, fuzz -> {
      Target target = targets.get(fuzz.random().nextInt(targets.size()));
      long caseSeed = fuzz.random().nextLong();
      List<String> mutations = new ArrayList<>();
      // Each answer is mutated by its path and rank on it (the calls of a refresh to one path
      // are sequential), so concurrent calls to other paths keep a case reproducible.
      Map<String, Integer> calls = new HashMap<>();
      Map<String, SourceState> states = refreshWith(config, target, (path, body) -> {
        int rank;
        synchronized (calls) {
          rank = calls.merge(path, 1, Integer::sum);
        }
        JsonMutations mutation = new JsonMutations(
            new Random(caseSeed ^ (path.hashCode() * 31L + rank)));
        byte[] mutated = mutation.apply(body);
        synchronized (mutations) {
          mutations.add(mutation.done().toString());
        }
        return mutated;
      });
      synchronized (mutations) {
        states.forEach((id, state) -> endsWell(target, id, state, mutations));
      }
    });
  }

  /** An answer the fuzz once found mishandled, and how the refresh must end now. */
  private record Example(String target, String answer, UnaryOperator<String> rewrite,
      ErrorKind kind, String message) {}

  @Test
  void answersTheFuzzFoundMishandledEndWell() throws Exception {
    Path config = config();
    String farFuture = "+999999999-12-31T23:59:59Z";
    List<Example> examples = List.of(
        new Example("Scalingo /ps", "a null container", body -> "{\"containers\":[null]}",
            ErrorKind.BAD_PAYLOAD, "unexpected shape"),
        new Example("Scalingo /ps", "a one-off started in the year 999999999",
            body -> body.replaceAll("\"created_at\":\"[^\"]*\"", "\"created_at\":\"" + farFuture + "\""),
            null, ""),
        new Example("Scalingo add-ons and add-on token", "a null add-on",
            body -> body.startsWith("{\"addons\"") ? "{\"addons\":[null]}" : body,
            ErrorKind.BAD_PAYLOAD, "unexpected shape"),
        new Example("Scalingo token exchange", "a token with characters a header cannot carry",
            body -> "{\"token\":\"\u00e9t\u00e9\"}", ErrorKind.BAD_PAYLOAD, "usable token"),
        new Example("Freshping /checks/", "a null check", body -> "{\"results\":[null]}",
            ErrorKind.BAD_PAYLOAD, "unexpected shape"),
        new Example("Datadog log search", "a log of the year 999999999",
            body -> body.replaceAll("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"" + farFuture + "\""),
            ErrorKind.BAD_PAYLOAD, "unreadable timestamp"),
        new Example("Kubernetes pods", "a null pod", body -> "{\"items\":[null]}",
            ErrorKind.BAD_PAYLOAD, "unexpected shape"),
        new Example("Datadog metric query", "a null series",
            body -> "{\"status\":\"ok\",\"series\":[null]}", ErrorKind.BAD_PAYLOAD,
            "unexpected shape"));
    for (Example example : examples) {
      Target target = targets().stream().filter(t -> t.name().equals(example.target()))
          .findFirst().orElseThrow();
      Map<String, SourceState> states = refreshWith(config, target, (path, body) -> example
          .rewrite().apply(new String(body, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8));
      String what = example.target() + " with " + example.answer();
      assertThat(states).as(what).isNotEmpty().allSatisfy((id, state) -> {
        assertThat(state.lastErrorKind().orElse(null)).as("%s: %s", what, state.lastError())
            .isEqualTo(example.kind());
        assertThat(state.lastError().orElse("")).as(what).contains(example.message());
      });
    }
  }

  /**
   * Loads a fresh plan (no token or add-on id cached from another case), refreshes the sources
   * that read {@code target} while its answers are rewritten, and returns their states.
   */
  private Map<String, SourceState> refreshWith(Path config, Target target,
      BiFunction<String, byte[], byte[]> rewrite) {
    target.fake().rawBody(target.pathPrefix(), rewrite);
    Plan plan;
    try {
      plan = loader.load(config);
    } catch (Exception e) {
      throw new AssertionError("the fuzz configuration does not load", e);
    }
    try {
      return refresh(plan.sources().stream()
          .filter(source -> source.id().startsWith(target.sourcePrefix())).toList());
    } finally {
      target.fake().clearFaults();
    }
  }

  /** One refresh of {@code sources} through a collector, as a scrape starts it. */
  private Map<String, SourceState> refresh(List<SourceDefinition> sources) {
    try (Collector collector = Collector.create(sources, Clock.systemUTC(), blocking)) {
      collector.refreshDue().get(HANG.toMillis(), TimeUnit.MILLISECONDS);
      return collector.states();
    } catch (TimeoutException e) {
      throw new AssertionError("the refresh of " + sources.stream()
          .map(SourceDefinition::id).toList() + " hung");
    } catch (Exception e) {
      throw new AssertionError("the refresh failed outside the collector", e);
    }
  }

  private void endsWell(Target target, String id, SourceState state, List<String> mutations) {
    String what = target.name() + " mutated by " + mutations + ": " + id;
    assertThat(state.refreshes()).as(what).isPositive();
    if (state.up()) {
      return;
    }
    ErrorKind kind = state.lastErrorKind().orElseThrow();
    String message = state.lastError().orElse("");
    assertThat(kind).as("%s failed with '%s'", what, message)
        .matches(k -> k == ErrorKind.BAD_PAYLOAD || target.alsoAllowed().contains(k),
            "BAD_PAYLOAD" + (target.alsoAllowed().isEmpty() ? "" : " or " + target.alsoAllowed()));
    List<String> secrets = new ArrayList<>(List.of(SCALINGO_TOKEN, FRESHPING_KEY, DD_API_KEY,
        DD_APP_KEY, KUBERNETES_TOKEN));
    secrets.addAll(scalingo.issuedCredentials());
    SafeMessages.assertSafe(what, message, secrets);
  }
}

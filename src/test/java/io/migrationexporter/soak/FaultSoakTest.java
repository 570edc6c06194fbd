package io.migrationexporter.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.migrationexporter.app.Board;
import io.migrationexporter.check.CheckResult;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injection soak: one exporter through a night of everything going wrong at once, with
 * sixteen scrapers and the board page watching. Flapping apps, a 50 MB answer, every SaaS fake
 * cycling through its faults, PostgreSQL restarted twice, reloads of valid and invalid files,
 * phase changes. It must keep answering every scrape within its deadline (and, while a SaaS fake
 * hangs, every scrape, status and gate request within the request budget), never show a check ok
 * on data that is down or stale, bring every source back within one interval of its fault
 * clearing, and hold as many threads, descriptors, sessions and heap at the end as at the start.
 *
 * <p>It runs for {@code -Dsoak.duration} (HOCON duration, default {@value #SHORT}, the CI form
 * that {@code mvn verify} runs); {@code mvn -Psoak verify} runs it alone for ten minutes
 * (bench/README.md). Its figures are written to {@code target/soak-report.md}.
 */
class FaultSoakTest {
  static final String SHORT = "80s";
  private static final Duration DURATION = ConfigFactory.parseString(
      "d = " + System.getProperty("soak.duration", SHORT)).getDuration("d");
  private static final Path REPORT = Path.of("target", "soak-report.md");
  private static final Path SAMPLES = Path.of("target", "soak-resources.csv");
  private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void keepsTellingTheTruthThroughFaultsWithoutLeaking() throws Exception {
    Findings findings = new Findings(Instant.now());
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      findings.add("uncaught", thread.getName() + ": " + error);
      error.printStackTrace();
    });
    Handler logged = failuresLogged(findings);
    Logger exporterLogs = Logger.getLogger("io.migrationexporter");
    exporterLogs.addHandler(logged);
    try (SoakWorld world = SoakWorld.start();
        TestExporter exporter = TestExporter.start(dir, world.config(false));
        Stalls stalls = new Stalls();
        Recoveries recoveries = new Recoveries(exporter.exporter().runtime(), findings, stalls);
        Scrapers scrapers = new Scrapers(exporter.port(), exporter.exporter().runtime().plan()
            .server().scrapeTimeoutOffset(), findings, stalls);
        HungAnswers hungAnswers = new HungAnswers(exporter.port(), exporter.exporter().runtime()
            .plan().server().requestBudget(), findings, stalls)) {
      soak(world, exporter, findings, stalls, recoveries, scrapers, hungAnswers);
    } finally {
      exporterLogs.removeHandler(logged);
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  private void soak(SoakWorld world, TestExporter exporter, Findings findings, Stalls stalls,
      Recoveries recoveries, Scrapers scrapers, HungAnswers hungAnswers) throws Exception {
    scrapers.start();
    Board ready = Await.until("every source up and every check known",
        () -> exporter.exporter().runtime().current(), FaultSoakTest::warmedUp, WARM_UP_LIMIT);
    List<String> checks = ready.checks().stream().map(r -> r.check().name()).toList();
    // Chromium takes both cores for seconds as it starts: before the clock, not on the scrapes
    Optional<BoardWatcher> board = BoardWatcher.open(exporter.url("/"), findings);

    Instant start = Instant.now();
    Instant end = start.plus(DURATION);
    scrapers.startJudging();
    hungAnswers.start();
    Resources resources = new Resources(world.postgres, start, DURATION);
    TruthSampler truth = new TruthSampler(exporter, findings);
    Reloads reloads = new Reloads(exporter, world, findings);
    Flapper flapper = new Flapper(world.apps, recoveries);
    List<FaultCycle> cycles = List.of(
        new FaultCycle("Scalingo", world.scalingo,
            List.of(SoakWorld.SCALINGO_APP_SOURCE, SoakWorld.SCALINGO_DATABASE_SOURCE),
            FaultCycle.scalingo(), recoveries, hungAnswers, end),
        new FaultCycle("Freshping", world.freshping, List.of(SoakWorld.FRESHPING_SOURCE),
            FaultCycle.every(Map.of()), recoveries, hungAnswers, end),
        new FaultCycle("Datadog", world.datadog,
            List.of(SoakWorld.DATADOG_LOGS_SOURCE, SoakWorld.DATADOG_METRIC_SOURCE),
            FaultCycle.every(Map.of()), recoveries, hungAnswers, end));
    ScheduledExecutorService drivers = Executors.newScheduledThreadPool(4,
        Daemons.named("soak-driver"));
    ExecutorService faults = Executors.newFixedThreadPool(cycles.size(),
        Daemons.named("soak-faults"));
    try {
      drivers.scheduleAtFixedRate(truth::sample, 0, 1, TimeUnit.SECONDS);
      drivers.scheduleAtFixedRate(resources::sample, 0, 2, TimeUnit.SECONDS);
      drivers.scheduleWithFixedDelay(reloads::next, 2, 4, TimeUnit.SECONDS);
      drivers.scheduleWithFixedDelay(reloads::flipPhase, 5, 9, TimeUnit.SECONDS);
      drivers.scheduleWithFixedDelay(flapper::next, Flapper.PERIOD.toMillis(),
          Flapper.PERIOD.toMillis(), TimeUnit.MILLISECONDS);
      board.ifPresent(watcher -> drivers.scheduleWithFixedDelay(() -> watcher.look(checks), 3,
          5, TimeUnit.SECONDS));
      List<Future<?>> running = new ArrayList<>();
      cycles.forEach(cycle -> running.add(faults.submit(cycle)));

      restartPostgresAt(start.plus(DURATION.multipliedBy(25).dividedBy(100)), 1, world,
          recoveries);
      restartPostgresAt(start.plus(DURATION.multipliedBy(60).dividedBy(100)), 2, world,
          recoveries);
      waitUntil(end);
      for (Future<?> cycle : running) {
        cycle.get(3, TimeUnit.MINUTES);
      }
      drivers.shutdown();
      assertThat(drivers.awaitTermination(1, TimeUnit.MINUTES)).as("drivers stopped").isTrue();
      flapper.finish();
      scrapers.close();
    } finally {
      faults.shutdownNow();
      drivers.shutdownNow();
      board.ifPresent(BoardWatcher::close);
    }

    assertThat(exporter.get("/-/healthy").statusCode()).as("the exporter still answers")
        .isEqualTo(200);
    SoakReport report = new SoakReport(start, DURATION)
        .row("scrapes", scrapers.scrapes() + " by " + Scrapers.SCRAPERS + " scrapers, "
            + findings.count("scrape-late") + " late, " + findings.count("scrape-failed")
            + " failed")
        .row("slowest scrape", scrapers.maxMillis() + " ms; per timeout header (s: ms) "
            + scrapers.maxMillisByTimeout())
        .row("worst overrun past the deadline", scrapers.worstOverrunMillis() + " ms; "
            + scrapers.worstOverrunBesideStallsMillis() + " ms beside JVM stalls (tolerance "
            + Scrapers.TOLERANCE.toMillis() + " ms)")
        .row("answers while a SaaS fake hangs", hungAnswers.answers() + " scrapes, status and"
            + " gate requests, slowest " + hungAnswers.slowestMillis() + " ms, "
            + findings.count("hung-answer-late") + " beyond the request budget")
        .row("JVM stalls over 50 ms", stalls.count() + ", " + stalls.totalMillis() + " ms in all,"
            + " longest " + stalls.longestMillis() + " ms (longest full GC forced to measure the"
            + " heap: " + resources.longestForcedGcMillis() + " ms)")
        .row("false greens", findings.count("false-green") + " in " + truth.samples()
            + " samples (" + truth.okVerified() + " ok states verified, " + truth.notOkWhileDown()
            + " not ok on a down or stale source)")
        .recoveries(recoveries.all())
        .row("fault episodes", cycles.stream().mapToInt(FaultCycle::episodes).sum()
            + " on the SaaS fakes (" + cycles.stream().mapToInt(FaultCycle::steps).sum()
            + " kinds), 2 PostgreSQL restarts")
        .row("reloads", reloads.accepted() + " accepted, " + reloads.refused() + " refused")
        .row("50 MB target", world.apps.requests(SoakWorld.HUGE_PATH) + " requests, "
            + Resources.mib(world.apps.bodyBytesSent(SoakWorld.HUGE_PATH)) + " sent in all")
        .row("board page", board.map(w -> w.looks() + " looks").orElse("no Chromium: skipped"))
        .resources(resources.first(), resources.last())
        .row("problems found", findings.isEmpty() ? "none"
            : findings.toString().replace("\n", "; "));
    report.write(REPORT);
    Files.writeString(SAMPLES, resources.csv());
    System.out.println(report.markdown());

    SoftAssertions soak = new SoftAssertions();
    soak.assertThat(findings.toString()).as("problems found during the soak").isEmpty();
    soak.assertThat(resources.growth())
        .as("resources grown from the first window to the last").isEmpty();
    soak.assertThat(resources.samples()).as("never more sessions than max-connections")
        .allSatisfy(sample -> assertThat(sample.pgSessions()).isLessThanOrEqualTo(2));
    // The soak did what it says: the sampler saw both sides, and the probes met the 50 MB answer.
    soak.assertThat(truth.samples()).as("samples, one a second")
        .isGreaterThanOrEqualTo(DURATION.toSeconds() * 3 / 4);
    soak.assertThat(truth.okVerified()).as("ok states verified").isPositive();
    soak.assertThat(truth.notOkWhileDown()).as("not ok while down").isPositive();
    soak.assertThat(reloads.refused()).as("refused reloads").isPositive();
    soak.assertThat(hungAnswers.answers()).as("answers timed while a fake hung").isPositive();
    soak.assertThat(world.apps.bodyBytesSent(SoakWorld.HUGE_PATH))
        .as("bytes of the 50 MB answer sent: the probes stop reading at their limit")
        .isLessThan(world.apps.requests(SoakWorld.HUGE_PATH) * SoakWorld.HUGE_BYTES / 4);
    soak.assertThat(check(exporter.exporter().runtime().current(), "huge-body").observedOpen())
        .as("the 50 MB answer's first bytes were read").isTrue();
    soak.assertAll();
  }

  private static boolean warmedUp(Board board) {
    return board.sources().values().stream().allMatch(SourceState::up)
        && board.checks().stream().allMatch(r -> r.observedClosed() != null);
  }

  private static CheckResult check(Board board, String name) {
    return board.checks().stream().filter(r -> r.check().name().equals(name)).findFirst()
        .orElseThrow();
  }

  /** Stops PostgreSQL at {@code at}, waits for the source to see it, and starts it again. */
  private static void restartPostgresAt(Instant at, int restart, SoakWorld world,
      Recoveries recoveries) {
    waitUntil(at);
    String fault = "PostgreSQL restart " + restart;
    Instant since = Instant.now();
    world.postgres.stop();
    recoveries.awaitDown(SoakWorld.POSTGRES_SOURCE, fault, since, Duration.ofSeconds(10));
    recoveries.awaitAttempts(SoakWorld.POSTGRES_SOURCE, 2, Duration.ofSeconds(20));
    world.postgres.restart();
    recoveries.awaitRecovery(SoakWorld.POSTGRES_SOURCE, fault, Instant.now(),
        Recoveries.Health.SEEN);
  }

  /** The soak's timeline is in wall-clock moments; there is no condition to await before them. */
  private static void waitUntil(Instant at) {
    long millis = Duration.between(Instant.now(), at).toMillis();
    if (millis > 0) {
      try {
        TimeUnit.MILLISECONDS.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Records what the exporter logs as a failure of its own: a bug, not a fault of a source. */
  private static Handler failuresLogged(Findings findings) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()
            || record.getThrown() != null
            && record.getLevel().intValue() >= Level.WARNING.intValue()) {
          findings.add("logged", record.getLoggerName() + ": " + record.getMessage()
              + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}

package io.migrationexporter.board;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.demo.fakes.FakeScalingo;
import io.migrationexporter.demo.fakes.Fault;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.testing.LoopbackTarget.Answer;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.TestExporter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control tower page in a real headless Chromium against a real exporter watching real HTTP
 * targets on loopback.
 */
class BoardPageTest {
  private static final int OK_GREEN = 0x22c55e;
  private static final int FAILING_RED = 0xf43f3f;
  private static final String FRONT = "[data-check='front']";
  private static final String SILENT = "[data-check='silent']";
  static final String TOKEN = "board-test-admin-token";
  /** What every board test sets: the admin token, and sources read often enough to watch. */
  static final String SERVER = "server.admin-token = \"" + TOKEN + "\"\n"
      + "defaults.interval = 500ms\n";

  private static Browser browser;

  @TempDir
  Path dir;

  @BeforeAll
  static void startBrowser() throws Exception {
    browser = Browser.start(1920, 1080);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void wallScreen() throws Exception {
    // the last test's page stops polling its stopped exporter; its errors are not this test's
    browser.open("about:blank");
    browser.errors();
    browser.resize(1920, 1080);
  }

  /** A web app on loopback in service (200) until the test says otherwise. */
  static LoopbackTarget inService() throws IOException {
    return LoopbackTarget.start().answer("/", Answer.status(200).body("in service"));
  }

  private static String config(LoopbackTarget target, SilentPort silent) {
    return SERVER + """
        apps { web { title = "Web front" } }
        checks {
          front { app = web, title = "Front-end", http { url = "%s" } }
          silent { title = "Never answers", http { url = "%s", timeout = 5m } }
        }
        """.formatted(target.url("/"), silent.url());
  }

  private String state(String card) throws Exception {
    return browser.attribute(browser.element(card), "data-state");
  }

  private String background(String css) throws Exception {
    return browser.script("return getComputedStyle(document.querySelector(arguments[0])).backgroundColor",
        css).asText();
  }

  @Test
  void cardsFollowTheTargetAcrossPhasesAndUnknownStaysGrey() throws Exception {
    try (LoopbackTarget target = inService(); SilentPort silent = new SilentPort();
        TestExporter exporter = TestExporter.start(dir, config(target, silent))) {
      browser.open(exporter.url("/"));

      // preparation: the front must be open, and it answers 200
      browser.await("the front-end card ok in preparation", () -> "ok".equals(state(FRONT)));
      String green = background(FRONT);
      assertThat(browser.attribute(browser.element(FRONT), "class")).contains("card-ok");
      assertThat(browser.text(browser.element(FRONT))).contains("Front-end", "In service (HTTP 200)")
          .containsIgnoringCase("Web front");
      // the silent target was never read: grey, and says so
      assertThat(state(SILENT)).isEqualTo("unknown");
      assertThat(browser.attribute(browser.element(SILENT), "class")).contains("card-unknown");
      assertThat(browser.text(browser.element(SILENT))).contains("Unknown: not yet polled",
          "no data yet");
      String grey = background(SILENT);
      assertThat(grey).isNotEqualTo(green);

      // maintenance while the app still serves: red
      exporter.putPhase("maintenance", TOKEN);
      browser.await("the front-end card failing in maintenance", () -> "failing".equals(state(FRONT)));
      String red = background(FRONT);
      assertThat(red).isNotEqualTo(green).isNotEqualTo(grey);
      assertThat(browser.text(browser.element(FRONT))).contains("Expected closed in phase maintenance")
          .doesNotContain("saw:");
      assertThat(browser.text(browser.element("[data-phase='maintenance']"))).contains("for ");
      assertThat(browser.attribute(browser.element("[data-phase='maintenance']"), "aria-current"))
          .isEqualTo("step");
      assertThat(browser.script("return document.title").asText())
          .isEqualTo("Maintenance · NO GO · Control tower");

      BufferedImage failing = Screenshots.save(browser, "board-failing-1920x1080");
      assertThat(Screenshots.count(failing, rgb -> rgb == FAILING_RED)).as("red pixels of the failing card")
          .isGreaterThan(500);

      // the app goes into maintenance: green again; the gate still waits on the grey check
      target.answer("/", Answer.status(503));
      browser.await("the front-end card ok once the app answers 503", () -> "ok".equals(state(FRONT)));
      assertThat(background(FRONT)).isEqualTo(green);
      assertThat(state(SILENT)).isEqualTo("unknown");
      String gate = browser.element("[data-gate='ready-to-migrate']");
      assertThat(browser.attribute(gate, "class")).contains("gate-nogo");
      assertThat(browser.text(gate)).contains("NO GO", "Never answers").doesNotContain("Front-end");

      browser.await("the events to list the front-end turning ok", () ->
          browser.text(browser.element("#events")).contains("front is ok"));
      BufferedImage board = Screenshots.save(browser, "board-1920x1080");
      assertThat(board.getWidth()).isEqualTo(1920);
      assertThat(board.getHeight()).isEqualTo(1080);
      assertThat(Screenshots.count(board, rgb -> rgb == OK_GREEN)).as("green pixels of the ok card")
          .isGreaterThan(500);
      assertThat(browser.errors()).as("script errors and policy violations").isEmpty();
    }
  }

  @Test
  void theAdminTokenUnlocksPhaseChangesAndAWrongOneIsRefused() throws Exception {
    try (LoopbackTarget target = inService(); SilentPort silent = new SilentPort();
        TestExporter exporter = TestExporter.start(dir, config(target, silent))) {
      browser.open(exporter.url("/"));
      browser.script("sessionStorage.clear()");
      browser.await("the first status", () -> browser.find(FRONT).isPresent());
      // read-only until asked
      assertThat(browser.script("return document.getElementById('phase-control').hidden").asBoolean())
          .isTrue();

      browser.click(browser.element("#phase-open"));
      browser.type(browser.element("#token-input"), "not-the-token");
      browser.click(browser.element("#token-use"));
      browser.script("const s = document.getElementById('phase-select'); s.value = 'maintenance';"
          + " s.dispatchEvent(new Event('change'))");
      browser.click(browser.element("#phase-submit"));
      browser.click(browser.element("#confirm-yes"));
      browser.await("the refusal shown", () ->
          browser.text(browser.element("#phase-message")).contains("403"));
      assertThat(browser.text(browser.element("#phase-message"))).contains("the admin token is wrong");
      assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("preparation");
      // a refused token is forgotten: the page asks for it again
      assertThat(browser.script("return sessionStorage.length").asInt()).isZero();

      browser.type(browser.element("#token-input"), TOKEN);
      browser.click(browser.element("#token-use"));
      browser.script("const s = document.getElementById('phase-select'); s.value = 'maintenance';"
          + " s.dispatchEvent(new Event('change'))");
      assertThat(browser.text(browser.element("#phase-submit"))).isEqualTo("Set phase to maintenance");
      browser.click(browser.element("#phase-submit"));
      // one click never changes the phase: the board asks first
      assertThat(browser.text(browser.element("#confirm-question")))
          .isEqualTo("Set the phase from preparation to maintenance?");
      assertThat(browser.script("return document.getElementById('confirm-backwards').hidden")
          .asBoolean()).as("going forward is no warning").isTrue();
      Screenshots.save(browser, "board-phase-control-1920x1080");
      assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("preparation");
      browser.click(browser.element("#confirm-yes"));
      browser.await("the phase changed", () ->
          "maintenance".equals(exporter.exporter().runtime().phases().state().current()));
      assertThat(exporter.exporter().runtime().phases().state().changedBy()).isEqualTo("board");
      browser.await("the stepper on maintenance", () -> "step".equals(
          browser.attribute(browser.element("[data-phase='maintenance']"), "aria-current")));
      // the token lives in this tab's session storage only, never in the address
      assertThat(browser.script("return sessionStorage.getItem('migration-exporter.admin-token')")
          .asText()).isEqualTo(TOKEN);
      assertThat(browser.script("return location.href").asText()).doesNotContain(TOKEN);
      assertThat(browser.script("return localStorage.length").asInt()).isZero();

      // going back warns, and Cancel leaves the phase alone
      browser.script("const s = document.getElementById('phase-select'); s.value = 'preparation';"
          + " s.dispatchEvent(new Event('change'))");
      browser.click(browser.element("#phase-submit"));
      assertThat(browser.text(browser.element("#confirm-backwards")))
          .contains("This goes BACK", "preparation comes before maintenance");
      assertThat(browser.text(browser.element("#confirm-yes"))).isEqualTo("Yes, go back to preparation");
      Screenshots.save(browser, "board-phase-backwards-1920x1080");
      browser.click(browser.element("#confirm-no"));
      assertThat(browser.text(browser.element("#phase-message"))).isEqualTo("Phase unchanged.");
      assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("maintenance");
    }
  }

  @Test
  void aCardShowsTheCountBehindItsWordsAndNoneOnceUnknown() throws Exception {
    String token = "tk-us-board-count";
    try (FakeScalingo scalingo = new FakeScalingo(Clock.systemUTC())) {
      scalingo.start();
      scalingo.acceptToken(token);
      scalingo.app("pix-api").scale("web", 2);
      try (TestExporter exporter = TestExporter.start(dir, SERVER + """
          sources.scalingo.pix {
            token = "%s", api-url = "%s", db-api-url = "%s", auth-url = "%s"
            interval = 500ms, timeout = 1s
            apps { pix-api {} }
          }
          checks.api-containers { title = "API containers", scalingo-containers { account = pix, app = pix-api } }
          """.formatted(token, scalingo.url(), scalingo.url(), scalingo.url()))) {
        browser.open(exporter.url("/"));
        String amount = "[data-check='api-containers'] .card-amount";
        browser.await("the card to count 2 containers", () ->
            browser.text(browser.element(amount)).equals("2 containers"));
        assertThat(browser.text(browser.element("[data-check='api-containers'] .card-value")))
            .isEqualTo("Running (2)");
        Screenshots.save(browser, "board-count-1920x1080");

        scalingo.fault("/v1/apps/", Fault.SERVER_ERROR);
        browser.await("the card grey", () -> "unknown".equals(state("[data-check='api-containers']")));
        assertThat(browser.find(amount)).as("no count on a grey card").isEmpty();
        assertThat(browser.errors()).as("script errors and policy violations").isEmpty();
      }
    }
  }

  @Test
  void aPhaseSetByTheConfigurationOffersNoPhaseControlAndFollowsAReload() throws Exception {
    try (LoopbackTarget target = inService(); SilentPort silent = new SilentPort()) {
      String config = config(target, silent);
      try (TestExporter exporter = TestExporter.start(dir,
          config + "phases.current = maintenance\n")) {
        browser.open(exporter.url("/"));
        browser.await("the first status", () -> browser.find(FRONT).isPresent());
        browser.await("the note shown", () -> !browser.script(
            "return document.getElementById('phase-configured').hidden").asBoolean());
        assertThat(browser.script("return document.getElementById('phase-open').hidden")
            .asBoolean()).as("no phase control").isTrue();
        assertThat(browser.attribute(browser.element("#phase-configured"), "title"))
            .isEqualTo("the phase is set by the configuration (phases.current in "
                + exporter.configFile() + "); change it there and reload");
        assertThat(browser.attribute(browser.element("[data-phase='maintenance']"),
            "aria-current")).isEqualTo("step");

        exporter.rewrite(config + "phases.current = migration\n");
        assertThat(exporter.exporter().runtime().reload()).isEmpty();

        browser.await("the stepper on migration", () -> "step".equals(
            browser.attribute(browser.element("[data-phase='migration']"), "aria-current")));
      }
    }
  }

  @Test
  void aLostExporterIsSaidAndItsLastDataStopsLookingLive() throws Exception {
    try (LoopbackTarget target = inService(); SilentPort silent = new SilentPort()) {
      TestExporter exporter = TestExporter.start(dir, config(target, silent));
      try {
        browser.open(exporter.url("/"));
        browser.await("the page live", () ->
            browser.text(browser.element("#connection")).startsWith("Live"));
        browser.await("the front-end card ok", () -> "ok".equals(state(FRONT)));
        assertThat(Screenshots.count(Screenshots.save(browser, "board-live-1920x1080"),
            Screenshots::greenish)).as("green pixels while live").isGreaterThan(1000);
      } finally {
        exporter.close();
      }
      browser.await("the connection said lost", () ->
          browser.text(browser.element("#connection")).startsWith("Connection lost, last update"));
      assertThat(browser.script("return document.body.classList.contains('lost')").asBoolean()).isTrue();
      // the last data stays on screen, greyed, with its age still counting
      assertThat(browser.find(FRONT)).isPresent();
      browser.await("the age of the last update to grow", () ->
          browser.text(browser.element("#connection")).matches(".*last update ([3-9]|\\d\\d)s ago"));
      BufferedImage lost = Screenshots.save(browser, "board-connection-lost-1920x1080");
      assertThat(Screenshots.count(lost, Screenshots::greenish)).as("green pixels once nothing is known")
          .isZero();
    }
  }

  @Test
  void aMigrationShowsItsStepProgressEtaAndHeartbeatOnAWallAndOnAPhone() throws Exception {
    ScriptedMigration migration = new ScriptedMigration("answers-bigint", "answers.id to bigint",
        List.of(new StepDefinition("column", "Alter the referencing column", Optional.of(Duration.ofHours(8))),
            new StepDefinition("key", "Alter the primary key", Optional.of(Duration.ofHours(4))),
            new StepDefinition("sequence", "Alter the sequence", Optional.of(Duration.ofMinutes(1)))));
    Instant now = Instant.now();
    migration.report(new StepProgress(1, false, Optional.of(now.minus(Duration.ofMinutes(75))),
        OptionalDouble.of(0.3), Optional.empty(), Optional.of(now.minusSeconds(4)),
        "rewriting the table answers"));
    try (LoopbackTarget target = inService(); SilentPort silent = new SilentPort();
        TestExporter exporter = TestExporter.start(dir, config(target, silent),
            plan -> ScriptedMigration.added(plan, migration))) {
      browser.open(exporter.url("/"));
      String card = "[data-migration='answers-bigint']";
      browser.await("the migration card", () -> browser.find(card).isPresent());
      String text = browser.text(browser.element(card));
      assertThat(text).contains("answers.id to bigint", "Running",
          "Step 2 of 3: Alter the primary key", "rewriting the table answers",
          "1h 15m of 4h 00m expected", "Expected end", "Last heartbeat");
      assertThat(browser.attribute(browser.element(card + " .bar-overall .bar-track"), "aria-valuenow"))
          .isEqualTo("77"); // (8 h + 30% of 4 h) of 12 h 01 m
      assertThat(browser.attribute(browser.element(card + " .bar-step .bar-track"), "aria-valuenow"))
          .isEqualTo("30");
      assertThat(browser.text(browser.element(card + " .step-current"))).contains("Alter the primary key");
      Screenshots.save(browser, "board-migration-1920x1080");

      browser.resize(390, 844);
      assertThat(browser.script("return window.innerWidth").asInt()).isEqualTo(390);
      assertThat(browser.script("return document.documentElement.scrollWidth").asInt())
          .as("no horizontal scroll on a phone").isLessThanOrEqualTo(390);
      Screenshots.save(browser, "board-390x844");

      migration.report(new StepProgress(2, true, Optional.empty(), OptionalDouble.empty(),
          Optional.empty(), Optional.of(Instant.now()), ""));
      browser.await("the migration done", () ->
          browser.text(browser.element(card)).contains("All 3 steps done"));
      assertThat(browser.find(card + " .bar-step")).isEmpty();

      // its source lost: nothing more is claimed than what is known
      migration.report(null);
      browser.await("the migration unknown", () ->
          browser.attribute(browser.element(card), "class").contains("migration-unknown"));
      assertThat(browser.text(browser.element(card))).contains("Unknown",
          "Source unreachable: the migration log is unreachable").doesNotContain("done", "Overall");
      assertThat(browser.errors()).as("script errors and policy violations").isEmpty();
    }
  }
}

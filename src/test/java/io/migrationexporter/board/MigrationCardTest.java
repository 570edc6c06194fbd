package io.migrationexporter.board;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.migration.Interruption;
import io.migrationexporter.migration.StepAttempt;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.migration.Waiting;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration card on a 1920x1080 wall screen in headless Chromium: each state a night shift must
 * tell apart from 3 m (running, waiting on a lock, silent then long silent, interrupted, not
 * started, overdue, done, unknown) has its own badge in words and colour, and its time in words
 * that never lie. Screenshots go to target/board-screenshots/migration-card-*.png.
 */
class MigrationCardTest extends WallScreenTest {
  private static final String GREEN = "rgb(21, 128, 61)";
  private static final String AMBER = "rgb(251, 191, 36)";
  private static final String RED = "rgb(185, 28, 28)";
  private static final String NEUTRAL = "rgb(58, 74, 92)";
  private static final String BLUE = "rgb(61, 139, 253)";
  private static final String GREY = "rgb(91, 101, 112)";

  @TempDir
  Path dir;

  /** What one card must show: its badge, its colour, the words of its state and of its time. */
  private record Expected(String badge, String badgeClass, String colour, String stateWords,
      String timeWords) {}

  private static List<StepDefinition> pixSteps() {
    return List.of(
        new StepDefinition("column", "Alter the referencing columns", Optional.of(Duration.ofHours(6))),
        new StepDefinition("key", "Alter the primary key", Optional.of(Duration.ofHours(2))),
        new StepDefinition("sequence", "Alter the sequence", Optional.of(Duration.ofMinutes(1))));
  }

  private static StepProgress inStep(int step, Instant started, Instant heartbeat, String detail) {
    return new StepProgress(step, false, Optional.of(started), OptionalDouble.empty(),
        Optional.empty(), Optional.of(heartbeat), detail);
  }

  @Test
  void eachStateHasItsOwnBadgeColourAndWords() throws Exception {
    Instant now = Instant.now();
    Map<ScriptedMigration, StepProgress> scripts = new LinkedHashMap<>();
    Map<String, Expected> expected = new LinkedHashMap<>();
    // the longest database name of the Pix night, whose "Not started" badge once overflowed
    add(scripts, expected, "pix-datawarehouse", "pix-datawarehouse: ids to bigint",
        StepProgress.notStarted(),
        new Expected("Not started", "badge-not_started", NEUTRAL, "", "About 8 h 1 min once started"));
    add(scripts, expected, "running", "pix-api: ids to bigint",
        new StepProgress(0, false, Optional.of(now.minus(Duration.ofMinutes(40))),
            OptionalDouble.of(0.1), Optional.empty(), Optional.of(now.minusSeconds(3)),
            "rewriting the table answers"),
        new Expected("Running", "badge-running", GREEN, "", "Ends in about 7 h"));
    add(scripts, expected, "waiting", "pix-certif: ids to bigint",
        new StepProgress(1, false, Optional.of(now.minus(Duration.ofMinutes(3))),
            OptionalDouble.empty(), Optional.empty(), Optional.of(now.minusSeconds(2)), "",
            Optional.of(new Waiting("night-shift", "psql", now.minus(Duration.ofMinutes(2)))),
            Optional.empty(), List.of()),
        new Expected("Waiting on a lock", "badge-waiting", AMBER, "",
            "Blocked for 2 min by psql (night-shift)"));
    add(scripts, expected, "silent", "pix-junior: ids to bigint",
        inStep(0, now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(7)), ""),
        new Expected("Silent", "badge-silent", AMBER, "No sign of life for 7 min", "if it still runs"));
    add(scripts, expected, "silent-long", "pix-orga: ids to bigint",
        inStep(0, now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(12)), ""),
        new Expected("Silent", "badge-silent", RED, "No sign of life for 12 min", ""));
    add(scripts, expected, "interrupted", "pix-admin: ids to bigint",
        new StepProgress(1, false, Optional.of(now.minus(Duration.ofHours(1))),
            OptionalDouble.empty(), Optional.empty(), Optional.of(now.minusSeconds(70)), "",
            Optional.empty(),
            Optional.of(new Interruption("its session ended", 1, now.minusSeconds(60))),
            List.of(new StepAttempt(1, now.minus(Duration.ofHours(3)),
                    Optional.of(now.minus(Duration.ofHours(2))), StepAttempt.INTERRUPTED),
                new StepAttempt(1, now.minus(Duration.ofHours(1)),
                    Optional.of(now.minusSeconds(60)), StepAttempt.INTERRUPTED))),
        new Expected("Interrupted", "badge-interrupted", RED,
            "Its session ended (attempt 2 of step 2)",
            "Interrupted 1 min ago, no estimate until the step runs again"));
    add(scripts, expected, "overdue", "pix-app: ids to bigint",
        inStep(2, now.minus(Duration.ofMinutes(5)), now.minusSeconds(2), "sorting an index"),
        new Expected("Running", "badge-running", GREEN, "", "Overdue by 4 min (sorting an index)"));
    add(scripts, expected, "done", "pix-front: ids to bigint",
        new StepProgress(2, true, Optional.empty(), OptionalDouble.empty(), Optional.empty(),
            Optional.of(now), ""),
        new Expected("Done", "badge-done", BLUE, "", ""));
    add(scripts, expected, "unknown", "pix-lti: ids to bigint", null,
        new Expected("Unknown", "badge-unknown", GREY, "", ""));
    scripts.forEach(ScriptedMigration::report);

    try (TestExporter exporter = TestExporter.start(dir, BoardPageTest.SERVER
        + TestExporter.ONE_CHECK, plan -> ScriptedMigration.added(plan,
            scripts.keySet().toArray(ScriptedMigration[]::new)))) {
      browser.open(exporter.url("/"));
      String badges = "return Array.from(document.querySelectorAll('.migration .badge'),"
          + " (badge) => badge.textContent)";
      List<String> wanted = expected.values().stream().map(Expected::badge).toList();
      try {
        browser.await("every migration card in its state",
            () -> texts(browser.script(badges)).equals(wanted));
      } finally {
        Screenshots.save(browser, "migration-card-states-1920x1080");
      }
      assertThat(texts(browser.script(badges))).isEqualTo(wanted);

      // read in one go: the page redraws every 2 s, and a node read across a redraw is gone
      JsonNode cards = browser.script("""
          const cards = {};
          for (const card of document.querySelectorAll('.migration')) {
            const badge = card.querySelector('.badge');
            cards[card.dataset.migration] = {
              cardClass: card.className, cardBackground: getComputedStyle(card).backgroundColor,
              badgeClass: badge.className, badgeColour: getComputedStyle(badge).backgroundColor,
              text: card.innerText };
          }
          return cards;
          """);
      Set<String> looks = new HashSet<>();
      for (Map.Entry<String, Expected> entry : expected.entrySet()) {
        JsonNode card = cards.path(entry.getKey());
        Expected want = entry.getValue();
        assertThat(card.path("badgeClass").asText()).as(entry.getKey())
            .contains(want.badgeClass());
        String colour = card.path("badgeColour").asText();
        assertThat(colour).as("badge colour of %s", entry.getKey()).isEqualTo(want.colour());
        looks.add(want.badge() + " " + colour + " " + card.path("cardBackground").asText());
        String text = card.path("text").asText();
        assertThat(text).as(entry.getKey()).contains(want.stateWords(), want.timeWords())
            .doesNotContain("in 0", "(now)");
        if (!want.badge().equals("Running")) {
          assertThat(text).as("%s never says running", entry.getKey()).doesNotContain("Running");
        }
      }
      assertThat(looks).as("a distinct look for each state").hasSize(expected.size() - 1);
      // no end time where it would mislead: before the start, behind a lock, past the estimate
      for (String name : List.of("pix-datawarehouse", "waiting", "overdue", "interrupted",
          "silent")) {
        assertThat(cards.path(name).path("text").asText()).as(name)
            .doesNotContain("Expected end");
      }
      assertThat(cards.path("running").path("text").asText()).contains("Expected end");
      assertThat(cards.path("interrupted").path("text").asText()).as("no step time counting on")
          .doesNotContain("In this step");
      assertThat(cards.path("silent-long").path("cardClass").asText()).contains("migration-alarm");
      assertThat(cards.path("silent").path("cardClass").asText()).doesNotContain("migration-alarm");
      assertBadgesWithinTheirCards();
      assertThat(browser.errors()).as("script errors and policy violations").isEmpty();
      // nine migrations do not fit a wall screen (the Pix night had four): the rest, to look at
      browser.resize(1920, 1700);
      Screenshots.save(browser, "migration-card-states-1920x1700");
    }
  }

  /** The Pix night's four databases before the start, in the two-column kiosk layout. */
  @Test
  void notStartedBadgesStayWithinTheirCardsInTheKioskLayout() throws Exception {
    List<ScriptedMigration> migrations = new ArrayList<>();
    for (String database : List.of("pix-api", "pix-datawarehouse", "pix-certif", "pix-junior")) {
      migrations.add(new ScriptedMigration(database + "-bigint", database + ": ids to bigint",
          pixSteps()));
    }
    try (TestExporter exporter = TestExporter.start(dir, BoardPageTest.SERVER
        + TestExporter.ONE_CHECK, plan -> ScriptedMigration.added(plan,
            migrations.toArray(ScriptedMigration[]::new)))) {
      browser.open(exporter.url("/"));
      browser.await("four migration cards not started", () -> browser.script(
          "return document.querySelectorAll('.badge-not_started').length").asInt() == 4);
      Screenshots.save(browser, "migration-card-not-started-1920x1080");
      assertThat(browser.script("return getComputedStyle(document.querySelector('.migrations'))"
          + ".gridTemplateColumns.split(' ').length").asInt()).as("columns of migrations")
          .isEqualTo(2);
      assertBadgesWithinTheirCards();
    }
  }

  private static void add(Map<ScriptedMigration, StepProgress> scripts,
      Map<String, Expected> expected, String name, String title, StepProgress progress,
      Expected looks) {
    scripts.put(new ScriptedMigration(name, title, pixSteps()), progress);
    expected.put(name, looks);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static String card(String name) {
    return "[data-migration='" + name + "']";
  }

  /** Every badge and title lies inside its card, none spills over the card's edge. */
  private static void assertBadgesWithinTheirCards() throws Exception {
    JsonNode spilled = browser.script("""
        return Array.from(document.querySelectorAll('.migration .badge, .migration-title'))
            .filter((node) => {
              const inner = node.getBoundingClientRect();
              const outer = node.closest('.migration').getBoundingClientRect();
              return inner.left < outer.left || inner.right > outer.right
                  || inner.top < outer.top || inner.bottom > outer.bottom;
            }).map((node) => node.closest('.migration').dataset.migration + ': ' + node.textContent);
        """);
    assertThat(texts(spilled)).as("badges or titles over their card's edge").isEmpty();
  }
}

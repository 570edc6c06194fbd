package io.migrationexporter.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationexporter.event.Event;
import io.migrationexporter.report.Night.StepFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a journal's migration events and a window make of a night, beyond the demo's. */
class NightAnalysisTest {
  private static final Instant START = Instant.parse("2026-12-05T01:00:00Z");
  private final List<Event> journal = new ArrayList<>();

  private void at(int seconds, String type, String subject, String from, String to) {
    journal.add(new Event(journal.size() + 1, START.plusSeconds(seconds), type, subject, from, to,
        subject + ": " + to));
  }

  /** A step interrupted, then run again; a lock waited on; the migration silent for a while. */
  private void interruptedNight() {
    at(0, "phase", "migration", null, "migration");
    at(10, "step", "big", "not started", "step 1 of 2: rewrite answers");
    at(10, "migration", "big", "not_started", "running");
    at(20, "migration", "big", "running", "waiting");
    at(50, "migration", "big", "waiting", "running");
    at(100, "migration", "big", "running", "interrupted");
    at(100, "step", "big", "step 1 of 2: rewrite answers", "not started");
    at(200, "step", "big", "not started", "step 1 of 2: rewrite answers");
    at(200, "migration", "big", "interrupted", "running");
    at(400, "migration", "big", "running", "silent");
    at(460, "migration", "big", "silent", "running");
    at(500, "step", "big", "step 1 of 2: rewrite answers", "step 2 of 2: indexes");
    at(560, "step", "big", "step 2 of 2: indexes", "done");
    at(560, "migration", "big", "running", "done");
  }

  @Test
  void anInterruptedStepRunsAgainAndCountsItsLockWaits() {
    interruptedNight();

    Night night = NightReport.night(journal, NightPlan.empty(), Optional.empty(), Optional.empty());

    StepFacts rewrite = night.migrations().get(0).steps().get(0);
    assertThat(rewrite.runs()).isEqualTo(2);
    assertThat(rewrite.interruptions()).containsExactly(START.plusSeconds(100));
    assertThat(rewrite.started()).contains(START.plusSeconds(10));
    assertThat(rewrite.ended()).contains(START.plusSeconds(500));
    assertThat(rewrite.status()).isEqualTo("done");
    assertThat(rewrite.lockWaits()).isEqualTo(Duration.ofSeconds(30));
    StepFacts indexes = night.migrations().get(0).steps().get(1);
    assertThat(indexes.actual()).contains(Duration.ofSeconds(60));
    assertThat(night.incidents()).extracting(Night.Incident::kind)
        .containsExactly("migration interrupted", "migration silent");
  }

  @Test
  void aWindowStartsFromTheStatesTheJournalHadThen() {
    interruptedNight();

    Night night = NightReport.night(journal, NightPlan.empty(),
        Optional.of(START.plusSeconds(300)), Optional.of(START.plusSeconds(520)));

    assertThat(night.from()).isEqualTo(START.plusSeconds(300));
    assertThat(night.to()).isEqualTo(START.plusSeconds(520));
    assertThat(night.phases()).singleElement().satisfies(phase -> {
      assertThat(phase.phase()).isEqualTo("migration");
      assertThat(phase.start()).isEqualTo(START.plusSeconds(300));
    });
    List<StepFacts> steps = night.migrations().get(0).steps();
    assertThat(steps.get(0).status()).isEqualTo("done");
    assertThat(steps.get(1).status()).as("still running when the window ends")
        .isEqualTo("running");
    assertThat(night.migrations().get(0).done()).isEmpty();
    assertThat(night.incidents()).extracting(Night.Incident::kind)
        .containsExactly("migration silent");
  }

  @Test
  void aWindowWithNothingToTellSaysWhereTheJournalIs() {
    interruptedNight();

    assertThatThrownBy(() -> NightReport.night(journal, NightPlan.empty(), Optional.empty(),
        Optional.of(START.minusSeconds(60))))
        .hasMessage("the journal holds no event in this window (its events run from"
            + " 2026-12-05T01:00:00Z to 2026-12-05T01:09:20Z)");
    assertThatThrownBy(() -> NightReport.night(journal, NightPlan.empty(),
        Optional.of(START.plusSeconds(60)), Optional.of(START)))
        .hasMessage("--from 2026-12-05T01:01:00Z is not before --to 2026-12-05T01:00:00Z");
  }
}

package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.config.RehearsalProfile;
import io.migrationexporter.migration.StepMeasure;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * What a finished rewrite measured of itself, the profile {@code report --expectations} writes:
 * replayed from real rewrites of the Pix migration (src/test/resources/eta/).
 */
class StepMeasureTest {
  /** Sorts four times the heap's time: far from the truth, to show a measure corrects it. */
  private static final TimeProfile WRONG = TimeProfile.of(Optional.of(new RehearsalProfile(
      OptionalDouble.of(1.2), OptionalDouble.of(3.0), OptionalDouble.of(0.1))));

  @Test
  void aRewriteMeasuresItsWalAndHowItsTimeSplit() throws IOException {
    RewriteTrace trace = RewriteTimeModelTest.trace("run1-10M-answers.json");
    StepMeasure measure = trace.measure(TimeProfile.MEASURED);
    long written = trace.samples().get(trace.samples().size() - 1).wal() - trace.baselineWal();
    assertThat(measure.walBytes()).isEqualTo(written);
    assertThat(measure.indexSort()).isPresent();
    assertThat(measure.indexWrite()).isPresent();
    assertThat(measure.indexSort().getAsDouble()).isBetween(0.01, 2.0);
    assertThat(measure.indexWrite().getAsDouble()).isBetween(0.1, 10.0);
  }

  @Test
  void theMeasureDoesNotDependOnTheProfileTheStepWasWatchedWith() throws IOException {
    RewriteTrace trace = RewriteTimeModelTest.trace("run1-10M-answers.json");
    assertThat(trace.measure(WRONG)).isEqualTo(trace.measure(TimeProfile.MEASURED));
  }

  @Test
  void aRehearsalsMeasuredProfileForecastsTheNextRunBetterThanAWrongOne() throws IOException {
    TimeProfile rehearsed = profile(RewriteTimeModelTest.trace("run1-10M-answers.json")
        .measure(TimeProfile.MEASURED));
    RewriteTrace night = RewriteTimeModelTest.trace("run2-10M-answers.json");
    for (double fraction : new double[] {0.25, 0.5}) {
      assertThat(error(night, rehearsed, fraction)).as("error at %s of the step", fraction)
          .isLessThan(error(night, WRONG, fraction));
    }
  }

  /**
   * The second run's foreign-key check took twice the built-in share: its own measure, replayed,
   * announces its end to within a few percent once the heap is measured, where the built-in
   * profile is off by a quarter.
   */
  @Test
  void aStepsOwnMeasureForecastsItsEnd() throws IOException {
    RewriteTrace run = RewriteTimeModelTest.trace("run2-10M-answers.json");
    TimeProfile own = profile(run.measure(TimeProfile.MEASURED));
    for (double fraction : new double[] {0.25, 0.5}) {
      assertThat(error(run, own, fraction)).as("error at %s of the step", fraction)
          .isLessThan(0.05);
      assertThat(error(run, TimeProfile.MEASURED, fraction)).isGreaterThan(0.2);
    }
  }

  private static TimeProfile profile(StepMeasure measure) {
    return TimeProfile.of(Optional.of(new RehearsalProfile(measure.indexSort(),
        measure.indexWrite(), measure.foreignKeyJoin())));
  }

  private static double error(RewriteTrace trace, TimeProfile profile, double fraction) {
    return Math.abs(trace.remainingError(trace.replay(profile), fraction).orElseThrow());
  }
}

package io.migrationexporter.source.postgres;

import io.migrationexporter.config.RehearsalProfile;
import io.migrationexporter.migration.StepMeasure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code bench/rehearsal-eta.sh}'s arithmetic: a migration's steps rehearsed at one size
 * (one {@link RewriteTrace} per step, recorded by {@link EtaBench}), then run at another size;
 * the migration's ETA (the current step's end, then the later steps' expected durations, as
 * {@code MigrationStatus.eta} adds them) replayed along the night's traces in three set-ups:
 *
 * <ul>
 *   <li><b>no rehearsal</b>: the built-in time profile, no expected duration: the migration's
 *       end is known only once its last step runs;
 *   <li><b>rehearsal by hand</b>: the rehearsal's step durations copied as measured, the built-in
 *       profile (what the reference team did);
 *   <li><b>report --expectations</b>: the rehearsal's durations scaled by the night's table size
 *       over the rehearsal's, and each step's measured profile in its rewrite estimate.
 * </ul>
 *
 * <p>{@code RehearsalEtaBench REHEARSAL_TRACE... -- NIGHT_TRACE...} (in step order) prints one
 * Markdown row per set-up: the error of the migration's remaining time shown at 25, 50 and 75 %
 * of its real duration, as a share of that duration ("none": no end shown then).
 */
public final class RehearsalEtaBench {
  private static final double[] FRACTIONS = {0.1, 0.25, 0.5, 0.75};

  /** What one set-up knows of a step before it runs. */
  private record Setup(String name, List<TimeProfile> profiles, List<Optional<Long>> expectedMs) {}

  private RehearsalEtaBench() {}

  public static void main(String[] args) throws IOException {
    int split = Arrays.asList(args).indexOf("--");
    if (split < 1 || split != args.length / 2) {
      System.err.println("usage: RehearsalEtaBench REHEARSAL_TRACE... -- NIGHT_TRACE..."
          + " (as many, in step order)");
      System.exit(2);
    }
    List<RewriteTrace> rehearsal = read(Arrays.copyOfRange(args, 0, split));
    List<RewriteTrace> night = read(Arrays.copyOfRange(args, split + 1, args.length));
    rows(rehearsal, night).forEach(System.out::println);
  }

  private static List<RewriteTrace> read(String[] files) throws IOException {
    List<RewriteTrace> traces = new ArrayList<>();
    for (String file : files) {
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        traces.add(RewriteTrace.read(in));
      }
    }
    return traces;
  }

  /** One Markdown row per set-up. */
  static List<String> rows(List<RewriteTrace> rehearsal, List<RewriteTrace> night) {
    List<String> rows = new ArrayList<>();
    for (Setup setup : setups(rehearsal, night)) {
      StringBuilder row = new StringBuilder("| ").append(setup.name());
      for (double fraction : FRACTIONS) {
        row.append(" | ").append(error(setup, night, fraction)
            .map(e -> String.format(Locale.ROOT, "%+.0f %%", e * 100)).orElse("none"));
      }
      rows.add(row.append(" |").toString());
    }
    return rows;
  }

  static List<Setup> setups(List<RewriteTrace> rehearsal, List<RewriteTrace> night) {
    List<TimeProfile> builtIn = night.stream().map(trace -> TimeProfile.MEASURED).toList();
    List<TimeProfile> measured = new ArrayList<>();
    List<Optional<Long>> asMeasured = new ArrayList<>();
    List<Optional<Long>> scaled = new ArrayList<>();
    for (int step = 0; step < night.size(); step++) {
      RewriteTrace rehearsed = rehearsal.get(step);
      StepMeasure measure = rehearsed.measure(TimeProfile.MEASURED);
      measured.add(TimeProfile.of(Optional.of(new RehearsalProfile(measure.indexSort(),
          measure.indexWrite(), measure.foreignKeyJoin()))));
      long duration = rehearsed.endedAt() - rehearsed.startedAt();
      asMeasured.add(Optional.of(duration));
      scaled.add(Optional.of(Math.round(duration * (double) night.get(step).size().heapBytes()
          / rehearsed.size().heapBytes())));
    }
    return List.of(
        new Setup("no rehearsal", builtIn, night.stream().map(t -> Optional.<Long>empty())
            .toList()),
        new Setup("rehearsal by hand (durations as measured)", builtIn, asMeasured),
        new Setup("`report --expectations` (scaled, measured profile)", measured, scaled));
  }

  /**
   * The migration's remaining-time error at {@code fraction} of its real duration, as a share
   * of it: positive when the end was announced late; empty when no end was shown then.
   */
  static Optional<Double> error(Setup setup, List<RewriteTrace> night, double fraction) {
    long start = night.get(0).startedAt();
    long end = night.get(night.size() - 1).endedAt();
    long moment = start + Math.round(fraction * (end - start));
    int step = 0;
    while (step + 1 < night.size() && night.get(step + 1).startedAt() <= moment) {
      step++;
    }
    RewriteTrace current = night.get(step);
    Optional<Long> expectedHere = setup.expectedMs().get(step);
    Optional<Long> stepEnd;
    long shownAt;
    if (moment >= current.endedAt()) {
      // Between two steps: the next one's start is all that is left of this one.
      shownAt = moment;
      stepEnd = Optional.of(moment);
    } else {
      RewriteTrace.Prediction shown = null;
      for (RewriteTrace.Prediction prediction : current.replay(setup.profiles().get(step))) {
        if (prediction.sample().at() <= moment) {
          shown = prediction;
        }
      }
      shownAt = shown == null ? moment : shown.sample().at();
      Optional<Long> measured = shown == null ? Optional.empty()
          : shown.estimate().eta().map(at -> at.toEpochMilli());
      stepEnd = measured.or(() -> expectedHere.map(expected -> current.startedAt() + expected));
    }
    if (stepEnd.isEmpty()) {
      return Optional.empty();
    }
    long eta = Math.max(stepEnd.get(), shownAt);
    for (int later = step + 1; later < night.size(); later++) {
      Optional<Long> expected = setup.expectedMs().get(later);
      if (expected.isEmpty()) {
        return Optional.empty();
      }
      eta += expected.get();
    }
    return Optional.of((double) (eta - end) / (end - start));
  }
}

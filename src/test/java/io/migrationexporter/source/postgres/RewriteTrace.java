package io.migrationexporter.source.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.migration.StepMeasure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One table rewrite of a real PostgreSQL, seen once a second from another session as the exporter
 * sees it (recorded by {@link EtaBench}, kept as test data under {@code src/test/resources/eta/}):
 * what the estimator reads at the step's start, then what it reads at each refresh, and when the
 * statement really ended. Replaying it through the estimator gives what the board would have
 * shown, against the truth.
 *
 * @param label what was run, for reports ("2M rows, knowledge-elements.answerId")
 * @param baselineWal the WAL position read just before the statement started
 * @param baselineAt when it was read (epoch milliseconds, server clock, as every time here)
 * @param startedAt the statement's {@code query_start}
 * @param endedAt when the statement returned
 */
record RewriteTrace(String label, String statement, String postgres, RelationSize size,
    RewritePlan plan, long baselineWal, long baselineAt, long startedAt, long endedAt,
    List<Sample> samples) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One look from another session: WAL position, database counters, the rewriting session's
   * state and wait event, and the parallel workers helping it.
   */
  record Sample(long at, long wal, long tempBytes, long blocksRead, String state,
      String waitEventType, String waitEvent, int workers) {}

  /** What the estimator said at one sample. */
  record Prediction(Sample sample, RewriteEstimator.Estimate estimate) {}

  static RewriteTrace read(InputStream in) {
    try {
      return JSON.readValue(in, RewriteTrace.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compact JSON, a sample a line: a 10 M rows step is 90 looks, the test data stays small. */
  void write(Path file) {
    try {
      Files.writeString(file, JSON.writeValueAsString(this).replace("},{\"at\":", "},\n{\"at\":")
          + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Duration duration() {
    return Duration.ofMillis(endedAt - startedAt);
  }

  /** Feeds every sample to a new estimator with {@code profile}, as a refresh a second would. */
  List<Prediction> replay(TimeProfile profile) {
    return replay(estimator(profile));
  }

  /** What the estimator measured of the whole rewrite, replayed with {@code profile}, at its end. */
  StepMeasure measure(TimeProfile profile) {
    RewriteEstimator estimator = estimator(profile);
    replay(estimator);
    return estimator.measure(samples.get(samples.size() - 1).wal(), Instant.ofEpochMilli(endedAt));
  }

  private RewriteEstimator estimator(TimeProfile profile) {
    return new RewriteEstimator(RewriteTarget.of(statement).orElseThrow(), size, plan, profile,
        baselineWal, Instant.ofEpochMilli(baselineAt), Instant.ofEpochMilli(startedAt));
  }

  private List<Prediction> replay(RewriteEstimator estimator) {
    List<Prediction> predictions = new ArrayList<>();
    for (Sample sample : samples) {
      Instant at = Instant.ofEpochMilli(sample.at());
      Backend session = new Backend(1, 0, false, "bench", "bench", sample.state(),
          sample.waitEventType(), sample.waitEvent(), null, null,
          Instant.ofEpochMilli(startedAt), null, List.of(), statement);
      predictions.add(new Prediction(sample, estimator.update(
          new RewriteEstimator.RewriteSample(sample.wal(), at, session, sample.workers()))));
    }
    return predictions;
  }

  /**
   * The error of the remaining time shown at {@code fraction} of the real duration, as a share
   * of that duration: positive when the end was announced late. The last sample at or before
   * that moment stands for what the board showed then; empty when it had no ETA.
   */
  Optional<Double> remainingError(List<Prediction> predictions, double fraction) {
    long moment = startedAt + Math.round(fraction * (endedAt - startedAt));
    Prediction shown = null;
    for (Prediction prediction : predictions) {
      if (prediction.sample().at() <= moment) {
        shown = prediction;
      }
    }
    if (shown == null || shown.estimate().eta().isEmpty()) {
      return Optional.empty();
    }
    double predicted = shown.estimate().eta().get().toEpochMilli() - shown.sample().at();
    double real = endedAt - shown.sample().at();
    return Optional.of((predicted - real) / (endedAt - startedAt));
  }

  /**
   * The same error for the estimate before the time model: step start + elapsed / (WAL written
   * / WAL expected), the ratio capped at 1.
   */
  Optional<Double> walRatioError(double fraction) {
    long moment = startedAt + Math.round(fraction * (endedAt - startedAt));
    RewriteEstimator estimator = estimator(TimeProfile.MEASURED);
    Sample shown = null;
    for (Sample sample : samples) {
      if (sample.at() <= moment) {
        shown = sample;
      }
    }
    if (shown == null) {
      return Optional.empty();
    }
    double ratio = Math.min(1, (double) (shown.wal() - baselineWal) / estimator.expectedWal());
    if (ratio < 0.01) {
      return Optional.empty();
    }
    double total = (shown.at() - startedAt) / ratio;
    double predicted = startedAt + total - shown.at();
    double real = endedAt - shown.at();
    return Optional.of((predicted - real) / (endedAt - startedAt));
  }
}

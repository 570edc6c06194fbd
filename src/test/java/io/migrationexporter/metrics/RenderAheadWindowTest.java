package io.migrationexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.app.Board;
import io.migrationexporter.app.Modules;
import io.migrationexporter.phase.PhaseSource;
import io.migrationexporter.phase.PhaseState;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A new board is rendered ahead in the formats asked of a board at most five minutes older. */
class RenderAheadWindowTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private final Exposition exposition = new Exposition("test", Modules.loader().families());

  @Test
  void rendersAheadWhatWasAskedRecentlyAndForgetsTheRest() {
    ExpositionFormatWriter openMetrics =
        exposition.writer("application/openmetrics-text;version=1.0.0");
    ExpositionFormatWriter plain = exposition.writer(null);
    exposition.bytes(board(T0), openMetrics, true);
    exposition.bytes(board(T0.minus(Duration.ofMinutes(1))), plain, false);

    Board next = board(T0.plus(Duration.ofMinutes(1)));
    exposition.renderAhead(next);
    assertRendered(next, openMetrics, plain);

    // Last asked of the board of 10:01: kept until 10:06, then dropped.
    Board atTheLimit = board(T0.plus(Exposition.RECENTLY).plus(Duration.ofMinutes(1)));
    exposition.renderAhead(atTheLimit);
    Board later = board(T0.plus(Exposition.RECENTLY).plus(Duration.ofMinutes(1)).plusMillis(1));
    exposition.renderAhead(later);
    assertThat(exposition.ready(later, openMetrics, true)).isEmpty();
    assertThat(exposition.ready(later, openMetrics, false)).isEmpty();
    assertThat(exposition.ready(later, plain, false)).isEmpty();
    assertRendered(atTheLimit, openMetrics, plain);
  }

  /** The three renderings asked recently: OpenMetrics gzipped and its plain bytes, plain text. */
  private void assertRendered(Board board, ExpositionFormatWriter openMetrics,
      ExpositionFormatWriter plain) {
    assertThat(exposition.ready(board, openMetrics, true)).isPresent();
    assertThat(exposition.ready(board, openMetrics, false)).isPresent();
    assertThat(exposition.ready(board, plain, false)).isPresent();
  }

  private static Board board(Instant at) {
    return new Board(at, new PhaseState("maintenance", Map.of("maintenance", T0), "test"),
        List.of("maintenance"), PhaseSource.stateFile("state.json"), List.of(), List.of(),
        List.of(), Map.of(), Map.of(),
        new Board.ConfigStatus("exporter.conf", true, T0, ""), at.plus(Duration.ofMinutes(1)));
  }
}

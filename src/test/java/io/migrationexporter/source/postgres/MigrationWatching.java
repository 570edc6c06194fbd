package io.migrationexporter.source.postgres;

import io.migrationexporter.migration.MigrationState;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Watches the one migration of an exporter, keeping every distinct look at it. */
final class MigrationWatching {
  /** One look at the migration: its state, step k of n, detail and step ratio. */
  record Look(Instant at, MigrationState state, int step, String detail, Double ratio,
      MigrationStatus status) {
    @Override
    public String toString() {
      return state.label() + " step " + step + " '" + detail + "' " + (ratio == null ? "" : ratio);
    }

    boolean sameAs(Look other) {
      return other != null && state == other.state && step == other.step
          && detail.equals(other.detail) && java.util.Objects.equals(ratio, other.ratio);
    }
  }

  private final TestExporter exporter;
  private final List<Look> seen = new ArrayList<>();

  MigrationWatching(TestExporter exporter) {
    this.exporter = exporter;
  }

  Look look() {
    Instant now = Instant.now();
    MigrationStatus status = exporter.exporter().runtime().board(now.plusSeconds(2)).migrations()
        .get(0);
    Look look = new Look(now, status.state(now), status.stepNumber(),
        status.progress().map(p -> p.detail()).orElse(""),
        status.progress().flatMap(p -> p.stepRatio().isPresent()
            ? java.util.Optional.of(p.stepRatio().getAsDouble()) : java.util.Optional.empty())
            .orElse(null), status);
    if (seen.isEmpty() || !look.sameAs(seen.get(seen.size() - 1))) {
      seen.add(look);
    }
    return look;
  }

  /** Watches until a look satisfies {@code wanted}, and returns it. */
  Look until(String what, Predicate<Look> wanted, Duration timeout) {
    return Await.until(what + " (seen: " + seen + ")", this::look, wanted, timeout);
  }

  /** The distinct looks since {@code from} (inclusive). */
  List<Look> since(Look from) {
    int start = seen.indexOf(from);
    return List.copyOf(seen.subList(Math.max(0, start), seen.size()));
  }

  List<Look> seen() {
    return List.copyOf(seen);
  }
}

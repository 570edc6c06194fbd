package io.migrationexporter.check;

import io.migrationexporter.collect.Observation.Quantity;
import java.time.Instant;
import java.util.Optional;

/**
 * A check evaluated against one phase.
 *
 * @param value what was seen, in words ("In maintenance (503)", "Unknown: not yet polled")
 * @param reason why the state is what it is, for failing and unknown checks; empty when ok
 * @param observedAt when the data it rests on was read; null when there is none
 * @param quantity the count behind {@code value} (2 containers), only from fresh data: empty
 *     when the check is unknown, so that no old number passes for a current one
 */
public record CheckResult(CheckDefinition check, String phase, Expectation expected,
    CheckState state, Boolean observedClosed, Boolean observedOpen, String value, String reason,
    Instant observedAt, Optional<Quantity> quantity) {

  public Optional<Instant> observedAtTime() {
    return Optional.ofNullable(observedAt);
  }
}

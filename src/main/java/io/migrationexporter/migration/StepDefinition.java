package io.migrationexporter.migration;

import java.time.Duration;
import java.util.Optional;

/**
 * One step of a migration as configured.
 *
 * @param expected how long the step is expected to take (from a rehearsal), if known
 */
public record StepDefinition(String name, String title, Optional<Duration> expected) {}

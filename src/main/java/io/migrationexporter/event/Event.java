package io.migrationexporter.event;

import java.time.Instant;

/**
 * A change worth telling: a phase entered, a check or gate changing state, a step reached, a
 * configuration reloaded or refused.
 *
 * @param sequence increasing number, so clients can ask for what came after the last one they saw
 * @param type phase, check, gate, step, config
 * @param subject the phase, check, gate or migration name
 */
public record Event(long sequence, Instant at, String type, String subject, String from,
    String to, String message) {}

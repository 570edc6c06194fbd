package io.migrationexporter.migration;

import java.time.Instant;

/**
 * A step ended without its effect: its session ended, its statement failed or was cancelled, the
 * server restarted.
 *
 * @param reason what happened, in words ("its session ended")
 * @param step index of the interrupted step
 * @param at when the source saw it
 */
public record Interruption(String reason, int step, Instant at) {}

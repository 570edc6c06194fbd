package io.migrationexporter.migration;

import java.time.Instant;

/**
 * The current step waits on a lock another session holds.
 *
 * @param holder the user of the session holding the lock
 * @param applicationName its application name, possibly empty
 * @param since when the step began waiting, as far as the source saw
 */
public record Waiting(String holder, String applicationName, Instant since) {
  /** "psql (night-shift)", or the user alone when the session has no application name. */
  public String who() {
    return applicationName.isEmpty() ? holder : applicationName + " (" + holder + ")";
  }
}

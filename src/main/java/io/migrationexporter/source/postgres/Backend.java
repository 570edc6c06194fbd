package io.migrationexporter.source.postgres;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code pg_stat_activity}: a client backend or a parallel worker of the database,
 * other than the exporter's own. The query text stays inside the exporter (step recognition); it
 * is never a label nor shown.
 *
 * @param leaderPid for a parallel worker, the pid of the session it works for; else 0
 * @param blockers pids holding the lock this backend waits for (empty unless it waits on a lock)
 */
record Backend(int pid, int leaderPid, boolean parallelWorker, String user, String applicationName,
    String state, String waitEventType, String waitEvent, Instant backendStart, Instant xactStart,
    Instant queryStart, Instant stateChange, List<Integer> blockers, String query) {

  /** Identifies a session across refreshes: a pid is reused only by a later backend. */
  record Key(int pid, Instant backendStart) {}

  Key key() {
    return new Key(pid, backendStart);
  }

  boolean active() {
    return "active".equals(state);
  }

  boolean waitingOnLock() {
    return "Lock".equals(waitEventType);
  }

  /** The name a person recognises the client by: its application name, else its user. */
  String clientName() {
    return applicationName == null || applicationName.isEmpty() ? user : applicationName;
  }
}

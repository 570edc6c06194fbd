package io.migrationexporter.phase;

import java.util.Optional;

/**
 * Who decides the phase: the configuration file ({@code phases.current}, shared by replicas,
 * applied by a reload) or this process's API ({@code PUT /api/phase}, kept in the state file).
 *
 * @param file the configuration file that sets {@code phases.current}, or the state file
 */
public record PhaseSource(boolean configured, String file, boolean changedByReload) {
  public static PhaseSource configuration(String file, boolean changedByReload) {
    return new PhaseSource(true, file, changedByReload);
  }

  public static PhaseSource stateFile(String file) {
    return new PhaseSource(false, file, false);
  }

  /** {@code configuration} or {@code state-file}, as the API shows it. */
  public String label() {
    return configured ? "configuration" : "state-file";
  }

  /** Why a change over HTTP is refused, when the configuration holds the phase. */
  public Optional<String> refusal() {
    return configured
        ? Optional.of("the phase is set by the configuration (phases.current in " + file
            + "); change it there and " + (changedByReload ? "reload" : "restart"))
        : Optional.empty();
  }
}

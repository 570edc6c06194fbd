package io.migrationexporter.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The ordered phases, the one to start in, where the current phase is kept across restarts, and
 * the phase the configuration itself sets ({@code phases.current}), if it sets one.
 */
public record PhaseSettings(List<String> order, String initial, Path stateFile,
    Optional<Current> current) {
  public PhaseSettings {
    order = List.copyOf(order);
  }

  /**
   * {@code phases.current}: the phase is the configuration's, for every replica that reads it.
   *
   * @param file where the key is written, for the answer that refuses a change over HTTP, or
   *     {@link ConfigNode#ENVIRONMENT}
   */
  public record Current(String phase, String file) {
    /** False when the environment gives it: a process reads its environment once, at start. */
    public boolean changedByReload() {
      return !file.equals(ConfigNode.ENVIRONMENT);
    }
  }
}

package io.migrationexporter.config;

import java.nio.file.Path;
import java.util.List;

/** The ordered phases, the one to start in, and where the current phase is kept across restarts. */
public record PhaseSettings(List<String> order, String initial, Path stateFile) {
  public PhaseSettings {
    order = List.copyOf(order);
  }
}

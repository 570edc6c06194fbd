package io.migrationexporter.app;

import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.Plan;

/**
 * Something outside the plan that a reload reads again with the configuration (the web
 * configuration file), all or nothing: every part is read and checked before any is applied.
 */
@FunctionalInterface
public interface Reloadable {
  /**
   * Reads and checks what {@code plan} names, changing nothing yet.
   *
   * @return the step that puts it in force; it cannot fail
   * @throws ConfigException it is invalid, or cannot be changed without a restart
   */
  Runnable prepare(Plan plan) throws ConfigException;
}

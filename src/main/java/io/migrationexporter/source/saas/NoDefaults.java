package io.migrationexporter.source.saas;

import io.migrationexporter.config.CheckKind;
import io.migrationexporter.config.ConfigNode;

/**
 * The defaults of a check kind whose settings all live on the source it reads: the loader needs a
 * value per kind, and null would read as "defaults invalid".
 */
public record NoDefaults() {
  public static final NoDefaults NONE = new NoDefaults();

  /** A check kind on a SaaS source: no defaults of its own, in the maintenance row by default. */
  public interface SourceCheckKind extends CheckKind<NoDefaults> {
    @Override
    default String defaultGroup() {
      return "maintenance";
    }

    @Override
    default NoDefaults parseDefaults(ConfigNode defaults) {
      return NONE;
    }
  }
}

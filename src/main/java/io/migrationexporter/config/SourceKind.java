package io.migrationexporter.config;

/**
 * A kind of shared source declared under {@code sources.<kind>.<name>} (a database, an API
 * account), which several checks or migrations then read.
 */
public interface SourceKind {
  String name();

  /** Parses one declared source and registers it, with any check it implies, in {@code plan}. */
  void declare(String sourceName, ConfigNode node, PlanBuilder plan);
}

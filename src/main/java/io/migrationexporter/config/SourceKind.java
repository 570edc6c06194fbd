package io.migrationexporter.config;

/**
 * A kind of shared source declared under {@code sources.<kind>.<name>} (a database, an API
 * account), which several checks or migrations then read.
 */
public interface SourceKind {
  String name();

  /**
   * One source of this kind declared against {@code target}, with its sentinel secrets: the
   * example the contract every kind passes runs.
   */
  KindExample example(ExampleTarget target);

  /** Parses one declared source and registers it, with any check it implies, in {@code plan}. */
  void declare(String sourceName, ConfigNode node, PlanBuilder plan);
}

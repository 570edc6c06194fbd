package io.migrationexporter.config;

import io.migrationexporter.collect.MetricDef;
import java.util.List;

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

  /**
   * Every metric family the sources of this kind emit: checked against the core's and the other
   * kinds' when a configuration is loaded, and the only families of theirs /metrics serves.
   */
  List<MetricDef> families();
}

package io.migrationexporter.config;

import io.migrationexporter.collect.MetricDef;
import java.util.List;

/**
 * One kind of check, selected by the name of its block inside a check ({@code http { ... }}).
 * Each kind lives in its own source package and plugs in here; the loader handles what all checks
 * share (name, title, app, group, phases) and every kind only parses its own block.
 *
 * @param <D> the kind's defaults, read once from {@code defaults.<kind>}
 */
public interface CheckKind<D> {
  /** The block name, also the {@code kind} label of the check. */
  String name();

  /** The board row of this kind's checks when the check names none. */
  String defaultGroup();

  /**
   * One check of this kind, with the source it reads, declared against {@code target} and its
   * sentinel secrets: the example the contract every kind passes runs.
   */
  KindExample example(ExampleTarget target);

  /**
   * Reads {@code defaults.<name>}, an empty block when neither reference.conf nor the user sets
   * it (a kind without defaults needs nothing there); every key read here is a key checks may set
   * too.
   */
  D parseDefaults(ConfigNode defaults);

  /**
   * Parses the kind's block of one check, registers the definition of the source it reads (a new
   * one, with {@link PlanBuilder#addSource}) or asks a shared one for what it observes
   * ({@link PlanBuilder#request}), and says which observation of that source the check evaluates.
   * Nothing is created here: the collector creates sources when the plan is activated.
   */
  Binding bind(CheckContext<D> check);

  /**
   * Every metric family the sources this kind creates emit, none when its checks read a source
   * another kind declares (that kind declares them): checked against the core's and the other
   * kinds' when a configuration is loaded, and the only families of theirs /metrics serves.
   */
  List<MetricDef> families();

  /** Where a check's observation comes from. */
  record Binding(String sourceId, String observationKey) {}

  /**
   * What a kind gets to bind one check.
   *
   * @param node the whole check, for schedule keys (interval, stale-after) of sources it owns
   * @param block the kind's own block
   */
  record CheckContext<D>(String checkName, ConfigNode node, ConfigNode block, D defaults,
      PlanBuilder plan) {}
}

package io.migrationexporter.config;

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

  /** Reads {@code defaults.<name>}; every key read here is a key checks may set too. */
  D parseDefaults(ConfigNode defaults);

  /**
   * Parses the kind's block of one check, registers the source it reads (a new one, or an existing
   * shared one) and says which observation of that source the check evaluates.
   */
  Binding bind(CheckContext<D> check);

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

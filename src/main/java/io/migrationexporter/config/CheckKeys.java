package io.migrationexporter.config;

import io.migrationexporter.check.CheckDefinition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The keys every check takes wherever it is declared (under {@code checks}, or in a block of a
 * source that implies a check): {@code title}, {@code group}, {@code closed-phases} and
 * {@code open-phases}, read by one piece of code so that their messages are the same everywhere.
 */
public record CheckKeys(String title, String group, Set<String> closedPhases,
    Set<String> openPhases) {

  /** Reads the keys of the check at {@code node}, each falling back to the value given here. */
  public static CheckKeys read(ConfigNode node, String defaultTitle, String defaultGroup,
      Set<String> defaultClosed, Set<String> defaultOpen, List<String> order) {
    String title = node.string("title", defaultTitle);
    String group = node.string("group", defaultGroup).toLowerCase(Locale.ROOT);
    Set<String> closed = node.has("closed-phases") ? phases(node, "closed-phases", order)
        : defaultClosed;
    Set<String> open = node.has("open-phases") ? phases(node, "open-phases", order) : defaultOpen;
    disjoint(node, closed, open);
    return new CheckKeys(title, group, closed, open);
  }

  public CheckDefinition definition(String name, String app, String kind, String sourceId,
      String observationKey) {
    return new CheckDefinition(name, title, group, app, kind, sourceId, observationKey,
        closedPhases, openPhases);
  }

  /** A list of phases that must all be in {@code order}: the error names the missing phase. */
  static Set<String> phases(ConfigNode node, String key, List<String> order) {
    Set<String> phases = new LinkedHashSet<>(node.stringList(key));
    for (String phase : phases) {
      if (!order.contains(phase)) {
        throw node.fail(key, "names phase '" + phase + "', which phases.order " + order
            + " does not list");
      }
    }
    return phases;
  }

  static void disjoint(ConfigNode node, Set<String> closed, Set<String> open) {
    for (String phase : closed) {
      if (open.contains(phase)) {
        throw node.fail("open-phases", "phase '" + phase + "' cannot be both closed and open");
      }
    }
  }
}

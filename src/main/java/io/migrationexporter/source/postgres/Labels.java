package io.migrationexporter.source.postgres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the label sets of a family bounded: application names and users come from clients, so a
 * family keeps its largest {@code max - 1} series and adds the rest up under "(other)".
 */
final class Labels {
  static final String OTHER = "(other)";

  private Labels() {}

  /** Counts per label set, at most {@code max} of them, the largest first. */
  static Map<List<String>, Integer> bounded(Map<List<String>, Integer> counts, int max) {
    List<Map.Entry<List<String>, Integer>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(Map.Entry.<List<String>, Integer>comparingByValue(Comparator.reverseOrder())
        .thenComparing(e -> String.join("\u0000", e.getKey())));
    Map<List<String>, Integer> out = new LinkedHashMap<>();
    if (entries.size() <= max) {
      entries.forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    }
    int rest = 0;
    for (int i = 0; i < entries.size(); i++) {
      if (i < max - 1) {
        out.put(entries.get(i).getKey(), entries.get(i).getValue());
      } else {
        rest += entries.get(i).getValue();
      }
    }
    int width = entries.get(0).getKey().size();
    out.merge(List.copyOf(Collections.nCopies(width, OTHER)), rest, Integer::sum);
    return out;
  }
}

package io.migrationexporter.collect;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The definition of one metric family: name, help, type and label names. Sources and the core
 * hold these as constants so that every sample of a family shares one help text, whichever source
 * emitted it; a kind lists its sources' in {@code families()}, the core's are in
 * {@link CoreFamilies}, and /metrics serves no other ({@link MetricFamilies}).
 */
public record MetricDef(String name, String help, Type type, List<String> labelNames) {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  public enum Type { GAUGE, COUNTER }

  public MetricDef {
    Objects.requireNonNull(help, "help");
    Objects.requireNonNull(type, "type");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid metric name " + name);
    }
    if (type == Type.COUNTER && name.endsWith("_total")) {
      throw new IllegalArgumentException("counter names are declared without _total: " + name);
    }
    labelNames = List.copyOf(labelNames);
  }

  /** The name /metrics serves the family's samples under: a counter's ends with {@code _total}. */
  public String servedName() {
    return type == Type.COUNTER ? name + "_total" : name;
  }

  public static MetricDef gauge(String name, String help, String... labelNames) {
    return new MetricDef(name, help, Type.GAUGE, List.of(labelNames));
  }

  /** A counter; the exposition adds the {@code _total} suffix. */
  public static MetricDef counter(String name, String help, String... labelNames) {
    return new MetricDef(name, help, Type.COUNTER, List.of(labelNames));
  }
}

package io.migrationexporter.collect;

import java.util.List;

/** One value of a metric family with its label values, in the order of the family's label names. */
public record Sample(MetricDef metric, List<String> labelValues, double value) {
  public Sample {
    labelValues = List.copyOf(labelValues);
    if (labelValues.size() != metric.labelNames().size()) {
      throw new IllegalArgumentException(metric.name() + " takes labels " + metric.labelNames()
          + ", got " + labelValues.size() + " values");
    }
  }
}

package io.migrationexporter.metrics;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.MetricFamilies;
import io.migrationexporter.collect.Sample;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Groups samples by family, keeping the order in which families first appear. Only declared
 * families pass: a sample of a family declared by nobody, or declared otherwise (type, help,
 * labels), is left out and handed to {@code refused}, so that one faulty family costs its own
 * series rather than every scrape.
 */
final class Families {
  private final MetricFamilies declared;
  private final Consumer<MetricDef> refused;
  private final Map<String, Family> families = new LinkedHashMap<>();

  private record Family(MetricDef def, List<Sample> samples) {}

  Families(MetricFamilies declared, Consumer<MetricDef> refused) {
    this.declared = declared;
    this.refused = refused;
  }

  void add(MetricDef def, double value, String... labelValues) {
    add(new Sample(def, List.of(labelValues), value));
  }

  void add(Sample sample) {
    MetricDef def = sample.metric();
    Family family = families.get(def.name());
    if (family == null) {
      if (!declared.declares(def)) {
        refused.accept(def);
        return;
      }
      family = new Family(def, new ArrayList<>());
      families.put(def.name(), family);
    } else if (family.def() != def && !family.def().equals(def)) {
      refused.accept(def);
      return;
    }
    family.samples().add(sample);
  }

  MetricSnapshots build() {
    List<MetricSnapshot> out = new ArrayList<>(families.size());
    for (Family family : families.values()) {
      out.add(snapshot(family.def(), family.samples()));
    }
    return new MetricSnapshots(out);
  }

  private static MetricSnapshot snapshot(MetricDef def, List<Sample> samples) {
    if (def.type() == MetricDef.Type.COUNTER) {
      CounterSnapshot.Builder counter = CounterSnapshot.builder().name(def.name()).help(def.help());
      for (Sample sample : samples) {
        counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
            .labels(labels(def, sample)).value(sample.value()).build());
      }
      return counter.build();
    }
    GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(def.name()).help(def.help());
    for (Sample sample : samples) {
      gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
          .labels(labels(def, sample)).value(sample.value()).build());
    }
    return gauge.build();
  }

  private static Labels labels(MetricDef def, Sample sample) {
    if (def.labelNames().isEmpty()) {
      return Labels.EMPTY;
    }
    return Labels.of(def.labelNames(), sample.labelValues());
  }
}

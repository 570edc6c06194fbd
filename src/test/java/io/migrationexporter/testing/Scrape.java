package io.migrationexporter.testing;

import io.prometheus.metrics.expositionformats.generated.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One /metrics answer in the protobuf format, parsed back with the Prometheus client's own
 * protobuf classes: what a Prometheus server would ingest, not what a regex finds in text.
 * ({@code generated.Metrics} is the client's version-independent name for its shaded classes.)
 */
public final class Scrape {
  /** The Accept header that selects the delimited protobuf format. */
  public static final String PROTOBUF = "application/vnd.google.protobuf;"
      + "proto=io.prometheus.client.MetricFamily;encoding=delimited";

  private final Map<String, Metrics.MetricFamily> families;

  /** One time series: its family, labels and value. */
  public record Series(String family, Map<String, String> labels, double value) {}

  private Scrape(Map<String, Metrics.MetricFamily> families) {
    this.families = families;
  }

  public static Scrape parse(byte[] delimited) {
    Map<String, Metrics.MetricFamily> families = new LinkedHashMap<>();
    try (InputStream in = new ByteArrayInputStream(delimited)) {
      Metrics.MetricFamily family;
      while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
        if (families.putIfAbsent(family.getName(), family) != null) {
          throw new AssertionError("metric family " + family.getName() + " appears twice");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not a valid protobuf exposition", e);
    }
    return new Scrape(families);
  }

  public boolean hasFamily(String name) {
    return families.containsKey(name);
  }

  /** Every series of every family. */
  public List<Series> all() {
    List<Series> out = new ArrayList<>();
    families.keySet().forEach(name -> out.addAll(series(name)));
    return out;
  }

  /** The series of family {@code name} (counters carry their {@code _total} suffix here). */
  public List<Series> series(String name) {
    Metrics.MetricFamily family = families.get(name);
    if (family == null) {
      return List.of();
    }
    List<Series> out = new ArrayList<>();
    for (Metrics.Metric metric : family.getMetricList()) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (Metrics.LabelPair pair : metric.getLabelList()) {
        labels.put(pair.getName(), pair.getValue());
      }
      out.add(new Series(name, labels, value(family, metric)));
    }
    return out;
  }

  private static double value(Metrics.MetricFamily family, Metrics.Metric metric) {
    return switch (family.getType()) {
      case GAUGE -> metric.getGauge().getValue();
      case COUNTER -> metric.getCounter().getValue();
      case UNTYPED -> metric.getUntyped().getValue();
      default -> throw new AssertionError("unexpected type " + family.getType() + " of "
          + family.getName());
    };
  }

  /**
   * The value of the one series of {@code family} whose labels include {@code labelPairs}
   * (name, value, name, value...); empty when there is none, a failure when several match.
   */
  public Optional<Double> value(String family, String... labelPairs) {
    List<Series> matching = matching(family, labelPairs);
    if (matching.size() > 1) {
      throw new AssertionError(matching.size() + " series of " + family + " match "
          + List.of(labelPairs) + ": " + matching);
    }
    return matching.stream().findFirst().map(Series::value);
  }

  /** Like {@link #value} but the series must exist. */
  public double get(String family, String... labelPairs) {
    return value(family, labelPairs).orElseThrow(() -> new AssertionError("no series of " + family
        + " with " + List.of(labelPairs) + "; the family has " + series(family)));
  }

  public List<Series> matching(String family, String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("label names and values come in pairs");
    }
    List<Series> out = new ArrayList<>();
    for (Series series : series(family)) {
      boolean all = true;
      for (int i = 0; i < labelPairs.length; i += 2) {
        all &= labelPairs[i + 1].equals(series.labels().get(labelPairs[i]));
      }
      if (all) {
        out.add(series);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return all().toString();
  }
}

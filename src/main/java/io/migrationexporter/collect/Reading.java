package io.migrationexporter.collect;

import io.migrationexporter.config.Redactor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.migrationexporter.migration.MigrationProcess;
import io.migrationexporter.migration.StepProgress;

/**
 * The immutable result of one successful refresh of a source: the samples it exposes, the
 * observations its checks evaluate (keyed by a name the source and its checks agree on), and the
 * progress of the migrations it follows.
 */
public final class Reading {
  /** Longest label value taken from a source; longer ones are cut, ending with an ellipsis. */
  public static final int LABEL_LIMIT = 256;
  private final List<Sample> samples;
  private final Map<String, Observation> observations;
  private final Map<String, StepProgress> migrations;
  private final Map<String, MigrationProcess> processes;

  private Reading(Builder builder) {
    this.samples = Collections.unmodifiableList(new ArrayList<>(builder.samples));
    this.observations = Collections.unmodifiableMap(new LinkedHashMap<>(builder.observations));
    this.migrations = Collections.unmodifiableMap(new LinkedHashMap<>(builder.migrations));
    this.processes = Collections.unmodifiableMap(new LinkedHashMap<>(builder.processes));
  }

  public List<Sample> samples() {
    return samples;
  }

  public Map<String, Observation> observations() {
    return observations;
  }

  public Optional<Observation> observation(String key) {
    return Optional.ofNullable(observations.get(key));
  }

  /** Progress of the migrations this source follows, by migration name. */
  public Optional<StepProgress> migration(String name) {
    return Optional.ofNullable(migrations.get(name));
  }

  /** What this source saw of the process running a migration it watches, by migration name. */
  public Optional<MigrationProcess> process(String migration) {
    return Optional.ofNullable(processes.get(migration));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, Observation> observations = new LinkedHashMap<>();
    private final Map<String, StepProgress> migrations = new LinkedHashMap<>();
    private final Map<String, MigrationProcess> processes = new LinkedHashMap<>();

    private Builder() {}

    /**
     * A sample; its label values, which often come from upstream (names in an API's answer), are
     * masked of secrets and cut to {@link #LABEL_LIMIT} characters.
     */
    public Builder sample(MetricDef metric, double value, String... labelValues) {
      List<String> values = new ArrayList<>(labelValues.length);
      for (String labelValue : labelValues) {
        values.add(Redactor.upstream(labelValue, LABEL_LIMIT));
      }
      samples.add(new Sample(metric, values, value));
      return this;
    }

    public Builder observation(String key, Observation observation) {
      if (observations.putIfAbsent(key, observation) != null) {
        throw new IllegalStateException("observation " + key + " set twice");
      }
      return this;
    }

    public Builder migration(String name, StepProgress progress) {
      if (migrations.putIfAbsent(name, progress) != null) {
        throw new IllegalStateException("progress of migration " + name + " set twice");
      }
      return this;
    }

    public Builder process(String migration, MigrationProcess process) {
      if (processes.putIfAbsent(migration, process) != null) {
        throw new IllegalStateException("process of migration " + migration + " set twice");
      }
      return this;
    }

    public Reading build() {
      return new Reading(this);
    }
  }
}

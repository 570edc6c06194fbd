package io.migrationexporter.config;

import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepDefinition;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code expectations.<migration>.<step>.duration}: step durations measured in a rehearsal and
 * written by {@code report --expectations}. They take the place of the steps' own {@code
 * expected-duration}: a measure beats a guess. A step's {@code profile}, when the rehearsal
 * knew it, replaces the ETA's built-in one ({@link RehearsalProfile}). Its {@code measured-on
 * { table, bytes, rows }}, the table the rehearsal rewrote and its size, scales the duration to
 * the night's table once the source reads its size ({@link StepDefinition#expectedOn}).
 */
final class Expectations {
  private record Measured(ConfigNode node, Duration duration, Optional<RehearsalProfile> profile,
      Optional<RelationVolume> measuredOn) {}

  private final Map<String, ConfigNode> migrationNodes = new LinkedHashMap<>();
  private final Map<String, Map<String, Measured>> byMigration = new LinkedHashMap<>();
  private final Set<String> used = new HashSet<>();

  static final Expectations NONE = new Expectations();

  static Expectations read(ConfigNode root) {
    Expectations expectations = new Expectations();
    if (!root.has("expectations")) {
      return expectations;
    }
    root.problems().attempt(() -> {
      ConfigNode section = root.child("expectations");
      for (Map.Entry<String, ConfigNode> migration : root.children("expectations").entrySet()) {
        expectations.migrationNodes.put(migration.getKey(), migration.getValue());
        Map<String, Measured> steps = new LinkedHashMap<>();
        section.children(migration.getKey()).forEach((step, node) -> node.problems().attempt(() -> {
          steps.put(step, new Measured(node, node.duration("duration"),
              node.optChild("profile").map(RehearsalProfile::read),
              node.optChild("measured-on").map(Expectations::volume)));
          node.finish();
        }));
        expectations.byMigration.put(migration.getKey(), steps);
      }
    });
    return expectations;
  }

  /** The measured duration of {@code step}, if the rehearsal measured it. */
  Optional<Duration> of(String migration, String step) {
    Measured measured = byMigration.getOrDefault(migration, Map.of()).get(step);
    if (measured == null) {
      return Optional.empty();
    }
    used.add(migration + "." + step);
    return Optional.of(measured.duration());
  }

  /** The size of the table the rehearsal's {@code step} rewrote, if it said. */
  Optional<RelationVolume> measuredOn(String migration, String step) {
    Measured measured = byMigration.getOrDefault(migration, Map.of()).get(step);
    return measured == null ? Optional.empty() : measured.measuredOn();
  }

  private static RelationVolume volume(ConfigNode node) {
    RelationVolume volume = new RelationVolume(node.optString("table"),
        (long) node.number("bytes", 1, Long.MAX_VALUE),
        (long) node.number("rows", 0, Long.MAX_VALUE));
    node.finish();
    return volume;
  }

  /** How the rehearsal's {@code step} split its time, if it said. */
  Optional<RehearsalProfile> profile(String migration, String step) {
    Measured measured = byMigration.getOrDefault(migration, Map.of()).get(step);
    return measured == null ? Optional.empty() : measured.profile();
  }

  /** A measure for a migration or step the configuration does not have is a mistake: say so. */
  void reportUnknown(Map<String, MigrationDefinition> migrations) {
    byMigration.forEach((migration, steps) -> {
      MigrationDefinition definition = migrations.get(migration);
      if (definition == null) {
        migrationNodes.get(migration).problems().attempt(() -> {
          throw migrationNodes.get(migration).failHere("no migration named '" + migration
              + "' in this configuration");
        });
        return;
      }
      steps.forEach((step, measured) -> {
        if (!used.contains(migration + "." + step)) {
          measured.node().problems().attempt(() -> {
            throw measured.node().failHere("migration '" + migration + "' has no step '" + step
                + "' (its steps: " + String.join(", ", definition.steps().stream()
                    .map(StepDefinition::name).toList()) + ")");
          });
        }
      });
    });
  }
}

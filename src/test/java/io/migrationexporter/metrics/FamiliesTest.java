package io.migrationexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.MetricFamilies;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A sample of a family nobody declared, or declared otherwise, is left out and reported: the
 * other families are served as if it were not there.
 */
class FamiliesTest {
  private static final MetricDef UP = MetricDef.gauge("migration_demo_up", "1 when up.", "demo");
  private static final MetricFamilies DECLARED =
      MetricFamilies.builder().declare("source kind 'demo'", List.of(UP)).build();

  private final List<MetricDef> refused = new ArrayList<>();
  private final Families families = new Families(DECLARED, refused::add);

  @Test
  void servesTheDeclaredFamilies() {
    families.add(UP, 1, "a");
    families.add(UP, 0, "b");

    MetricSnapshots snapshots = families.build();
    assertThat(snapshots).singleElement().satisfies(family -> {
      assertThat(family.getMetadata().getName()).isEqualTo("migration_demo_up");
      assertThat(family.getMetadata().getHelp()).isEqualTo("1 when up.");
      assertThat(family.getDataPoints()).hasSize(2);
    });
    assertThat(refused).isEmpty();
  }

  @Test
  void leavesOutAFamilyNobodyDeclared() {
    MetricDef undeclared = MetricDef.gauge("migration_demo_forgotten", "Forgotten.");
    families.add(undeclared, 1);
    families.add(UP, 1, "a");

    assertThat(names(families.build())).containsExactly("migration_demo_up");
    assertThat(refused).containsExactly(undeclared);
  }

  @Test
  void leavesOutASampleOfADeclaredNameDefinedOtherwise() {
    MetricDef otherHelp = MetricDef.gauge("migration_demo_up", "Up or not.", "demo");
    families.add(otherHelp, 1, "first");
    families.add(UP, 1, "a");
    families.add(otherHelp, 1, "later");

    MetricSnapshots snapshots = families.build();
    assertThat(names(snapshots)).containsExactly("migration_demo_up");
    assertThat(snapshots.get(0).getMetadata().getHelp()).isEqualTo("1 when up.");
    assertThat(snapshots.get(0).getDataPoints()).hasSize(1);
    assertThat(refused).containsExactly(otherHelp, otherHelp);
  }

  private static List<String> names(MetricSnapshots snapshots) {
    return snapshots.stream().map(MetricSnapshot::getMetadata).map(m -> m.getName()).toList();
  }
}

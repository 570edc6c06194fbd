package io.migrationexporter.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Declarations clash when a name has two owners, or one owner with two definitions of it. */
class MetricFamiliesTest {
  private static final MetricDef UP = MetricDef.gauge("migration_demo_up", "1 when up.", "demo");

  @Test
  void aFamilyDeclaredAgainAlikeByItsOwnerIsOneFamily() {
    MetricFamilies families = MetricFamilies.builder()
        .declare("source kind 'demo'", List.of(UP, UP)).build();

    assertThat(families.clashes()).isEmpty();
    assertThat(families.all()).hasSize(1);
    assertThat(families.declares(UP)).isTrue();
    assertThat(families.family(UP.name())).get()
        .extracting(MetricFamilies.Declared::declarer).isEqualTo("source kind 'demo'");
  }

  @Test
  void aNameTwoKindsDeclareClashesEvenWhenAlike() {
    MetricFamilies families = MetricFamilies.builder()
        .declare("source kind 'demo'", List.of(UP))
        .declare("check kind 'copy'", List.of(UP)).build();

    assertThat(families.clashes()).containsExactly("metric family migration_demo_up is declared"
        + " by source kind 'demo' and by check kind 'copy': a family belongs to one kind, rename"
        + " one of them");
  }

  @Test
  void aNameDeclaredTwiceOtherwiseByOneKindClashes() {
    MetricFamilies families = MetricFamilies.builder().declare("source kind 'demo'",
        List.of(UP, MetricDef.gauge("migration_demo_up", "1 when up.", "demo", "app"))).build();

    assertThat(families.clashes()).singleElement().asString()
        .startsWith("metric family migration_demo_up is declared twice by source kind 'demo',"
            + " with different type, help or labels")
        .contains("gauge [demo] \"1 when up.\"", "gauge [demo, app] \"1 when up.\"");
    assertThat(families.declares(UP)).isTrue();
  }

  @Test
  void aCounterClashesWithTheGaugeNamedAsItsTotal() {
    MetricFamilies families = MetricFamilies.builder()
        .declare("the core", List.of(MetricDef.counter("migration_demo_calls", "Calls.")))
        .declare("source kind 'demo'",
            List.of(MetricDef.gauge("migration_demo_calls_total", "Calls.")))
        .build();

    assertThat(families.clashes()).containsExactly("metric family migration_demo_calls_total is"
        + " declared by the core (as migration_demo_calls) and by source kind 'demo': a family"
        + " belongs to one kind, rename one of them");
  }

  @Test
  void onlyTheDeclaredDefinitionIsDeclared() {
    MetricFamilies families = MetricFamilies.builder().declare("the core", List.of(UP)).build();

    assertThat(families.declares(MetricDef.gauge("migration_demo_up", "Up.", "demo"))).isFalse();
    assertThat(families.declares(MetricDef.counter("migration_demo_up", "1 when up.", "demo")))
        .isFalse();
    assertThat(families.declares(MetricDef.gauge("migration_demo_down", "1 when up.", "demo")))
        .isFalse();
  }
}

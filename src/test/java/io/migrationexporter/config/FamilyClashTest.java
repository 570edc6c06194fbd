package io.migrationexporter.config;

import io.migrationexporter.testing.UnregisteredKinds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.migrationexporter.app.Modules;
import io.migrationexporter.collect.MetricDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kinds whose metric families clash with another kind's or the core's are refused when a
 * configuration is loaded, as check-config and a start do, before the file is read: one line
 * per clash, naming the family and both kinds, never a 500 on every scrape later.
 */
class FamilyClashTest {
  @TempDir
  Path dir;

  /** A test-only kind that declares the families it is given and no source. */
  private record DeclaringKind(String name, List<MetricDef> families) implements UnregisteredKinds.Source {
    @Override
    public void declare(String sourceName, ConfigNode node, PlanBuilder plan) {}
  }

  @Test
  void theKindsOfThisBuildDoNotClash() throws Exception {
    assertThat(Modules.loader().families().clashes()).isEmpty();
    Modules.loader().load(emptyConfig());
  }

  @Test
  void aKindReusingAnotherKindsFamilyIsRefusedWithBothNamed() throws Exception {
    MetricDef postgresConnections = Modules.sourceKinds().stream()
        .filter(kind -> kind.name().equals("postgres")).findFirst().orElseThrow().families()
        .stream().filter(family -> family.name().equals("migration_pg_connections"))
        .findFirst().orElseThrow();

    List<ConfigProblem> problems =
        refusedWith(new DeclaringKind("pgcopy", List.of(postgresConnections)));

    assertThat(problems).singleElement().hasToString("migration-exporter: metric family"
        + " migration_pg_connections is declared by source kind 'postgres' and by source kind"
        + " 'pgcopy': a family belongs to one kind, rename one of them");
  }

  @Test
  void aKindRedefiningACoreFamilyIsRefusedWithBothNamed() throws Exception {
    List<ConfigProblem> problems = refusedWith(new DeclaringKind("rogue", List.of(
        MetricDef.gauge("migration_check_status", "Mine.", "check"),
        MetricDef.gauge("migration_rogue_up", "Fine on its own."))));

    assertThat(problems).singleElement().extracting(ConfigProblem::message).asString()
        .startsWith("metric family migration_check_status is declared by the core and by source"
            + " kind 'rogue'");
  }

  private List<ConfigProblem> refusedWith(SourceKind extra) throws Exception {
    List<SourceKind> kinds = new ArrayList<>(Modules.sourceKinds());
    kinds.add(extra);
    ConfigLoader loader = new ConfigLoader(Modules.checkKinds(), kinds);
    ConfigException refused =
        catchThrowableOfType(ConfigException.class, () -> loader.load(emptyConfig()));
    assertThat(refused).as("the clashing kinds should be refused").isNotNull();
    return refused.problems();
  }

  private Path emptyConfig() throws Exception {
    return Files.writeString(dir.resolve("exporter.conf"), "");
  }
}

package io.migrationexporter.cli;

import io.migrationexporter.testing.UnregisteredKinds;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.Exporter;
import io.migrationexporter.app.Modules;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.config.CheckKind;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.source.saas.NoDefaults;
import io.migrationexporter.testing.TestExporter;
import io.migrationexporter.web.WebConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A configuration is data: loading one, for check-config or for a reload that is then refused,
 * creates no source. Sources are created when a plan is activated, only for definitions that are
 * new or changed, and closed by the collector alone. The kind below stands for a source whose
 * constructor opens a resource (a connection, a client): it counts what it opens and closes.
 */
class SourcesOnlyOnActivationTest {
  @TempDir Path dir;

  /** Sources the counted kind opened and closed; a record holds no reference to its test. */
  private static final AtomicInteger OPENED = new AtomicInteger();
  private static final AtomicInteger CLOSED = new AtomicInteger();

  @BeforeEach
  void resetCounts() {
    OPENED.set(0);
    CLOSED.set(0);
  }

  /** {@code counted { version = 1 }}: a check kind without defaults, so no block in reference.conf. */
  private static final class CountedKind implements UnregisteredKinds.Check {
    @Override
    public String name() {
      return "counted";
    }

    @Override
    public List<MetricDef> families() {
      return List.of();
    }

    @Override
    public Binding bind(CheckContext<NoDefaults> check) {
      SourceDefinition source = new SourceDefinition("counted:" + check.checkName(),
          check.plan().schedule(check.node(), Duration.ofSeconds(1)),
          new Counted(check.block().integer("version", 1, 100)));
      check.plan().addSource(source, check.block(), "version");
      return new Binding(source.id(), "counted");
    }
  }

  private record Counted(int version) implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      OPENED.incrementAndGet();
      return new Source() {
        @Override
        public CompletableFuture<Reading> refresh(RefreshContext context) {
          return CompletableFuture.completedFuture(Reading.builder().build());
        }

        @Override
        public void close() {
          CLOSED.incrementAndGet();
        }
      };
    }

    @Override
    public String describe(SourceDefinition definition) {
      return "counted, version " + version;
    }
  }

  private static ConfigLoader loader() {
    List<CheckKind<?>> kinds = new ArrayList<>(Modules.checkKinds());
    kinds.add(new CountedKind());
    return new ConfigLoader(kinds, Modules.sourceKinds());
  }

  private static String config(int version, String title) {
    return "checks.legacy { title = \"" + title + "\", counted { version = " + version + " } }\n";
  }

  @Test
  void checkConfigCreatesNoSource() throws Exception {
    Path file = TestExporter.writeConfig(dir, config(1, "Legacy"));
    StringWriter out = new StringWriter();
    int exit = new CommandLine(new CheckConfigCommand(loader())).setOut(new PrintWriter(out))
        .execute(file.toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("counted:legacy: every 10s", "counted, version 1");
    assertThat(OPENED).hasValue(0);
  }

  @Test
  void onlyActivationCreatesSourcesAndOnlyForChangedDefinitions() throws Exception {
    ConfigLoader loader = loader();
    Path file = TestExporter.writeConfig(dir, config(1, "Legacy"));
    try (Exporter exporter = Exporter.start(loader.load(file), WebConfig.PLAIN, loader,
        Clock.systemUTC())) {
      assertThat(OPENED).as("created when the plan is activated").hasValue(1);

      TestExporter.writeConfig(dir, config(2, "Legacy") + "checks.legacy.colour = blue\n");
      assertThat(exporter.runtime().reload()).as("a refused reload").isNotEmpty();
      assertThat(OPENED).as("a refused reload creates nothing").hasValue(1);

      TestExporter.writeConfig(dir, config(1, "Legacy app"));
      assertThat(exporter.runtime().reload()).isEmpty();
      assertThat(OPENED).as("an unchanged definition keeps its source").hasValue(1);
      assertThat(CLOSED).hasValue(0);

      TestExporter.writeConfig(dir, config(3, "Legacy app"));
      assertThat(exporter.runtime().reload()).isEmpty();
      assertThat(OPENED).as("a changed definition gets a new source").hasValue(2);
      assertThat(CLOSED).as("the replaced one is closed").hasValue(1);
    }
    assertThat(CLOSED).as("closing the exporter closes its sources").hasValue(2);
  }
}

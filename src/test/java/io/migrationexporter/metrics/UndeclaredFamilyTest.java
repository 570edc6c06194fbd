package io.migrationexporter.metrics;

import io.migrationexporter.testing.UnregisteredKinds;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.app.Modules;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.PlanBuilder;
import io.migrationexporter.config.SourceKind;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kind whose source emits a family its {@code families()} forgot: /metrics still answers 200
 * with everything else, the forgotten family is left out, and the bug is logged once, not at every
 * scrape.
 */
class UndeclaredFamilyTest {
  private static final MetricDef DECLARED =
      MetricDef.gauge("migration_forgetful_up", "1 when up.", "source_name");
  private static final MetricDef FORGOTTEN =
      MetricDef.gauge("migration_forgetful_forgotten", "Never declared.", "source_name");

  @TempDir
  Path dir;

  private final Logger log = Logger.getLogger(Exposition.class.getName());
  private final List<LogRecord> severe = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord entry) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        synchronized (severe) {
          severe.add(entry);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** Declares {@link #DECLARED} only, though its source also emits {@link #FORGOTTEN}. */
  private static final class ForgetfulKind implements UnregisteredKinds.Source {
    @Override
    public String name() {
      return "forgetful";
    }

    @Override
    public List<MetricDef> families() {
      return List.of(DECLARED);
    }

    @Override
    public void declare(String sourceName, ConfigNode node, PlanBuilder plan) {
      plan.addSource(new SourceDefinition("forgetful:" + sourceName,
          plan.schedule(node, Duration.ofSeconds(1)), new Forgetful(sourceName)), node, "interval");
    }
  }

  private record Forgetful(String name) implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      return context -> CompletableFuture.completedFuture(Reading.builder()
          .sample(DECLARED, 1, name).sample(FORGOTTEN, 1, name).build());
    }

    @Override
    public String describe(SourceDefinition definition) {
      return "a source that forgets to declare a family";
    }
  }

  @BeforeEach
  void listen() {
    log.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    log.removeHandler(capture);
  }

  @Test
  void aFamilyNobodyDeclaredIsLeftOutAndLoggedOnce() throws Exception {
    List<SourceKind> kinds = new ArrayList<>(Modules.sourceKinds());
    kinds.add(new ForgetfulKind());
    ConfigLoader loader = new ConfigLoader(Modules.checkKinds(), kinds);
    try (TestExporter exporter = TestExporter.start(dir, "sources.forgetful.db {}\n", loader)) {
      Scrape first = Await.until("the forgetful source's declared family",
          exporter::scrape, scrape -> scrape.hasFamily(DECLARED.name()), TestExporter.TIMEOUT);
      assertThat(first.hasFamily(FORGOTTEN.name())).isFalse();
      assertThat(first.hasFamily("migration_source_up")).isTrue();

      // a scrape of the next board: still served, still without the family, not logged again
      exporter.enterPhase("maintenance");
      Scrape second = Await.until("a board of the new phase", exporter::scrape,
          scrape -> scrape.value("migration_phase", "phase", "maintenance").orElse(0.0) == 1,
          TestExporter.TIMEOUT);
      assertThat(second.hasFamily(DECLARED.name())).isTrue();
      assertThat(second.hasFamily(FORGOTTEN.name())).isFalse();
    }
    synchronized (severe) {
      assertThat(severe).singleElement().extracting(LogRecord::getMessage).asString()
          .isEqualTo("bug: the samples of metric family migration_forgetful_forgotten are left"
              + " out of /metrics: no kind declares it");
    }
  }
}

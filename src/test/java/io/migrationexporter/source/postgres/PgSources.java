package io.migrationexporter.source.postgres;

import io.migrationexporter.app.Modules;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.Sample;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.config.Plan;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Builds postgres sources from configuration text and refreshes them as the collector does. */
final class PgSources {
  static final ExecutorService POOL = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "test-refresh");
    thread.setDaemon(true);
    return thread;
  });

  private PgSources() {}

  static Plan load(Path dir, String body) throws Exception {
    return Modules.loader().load(TestExporter.writeConfig(dir, body));
  }

  /** A source block for {@code database} on {@code server} as the pg_monitor role. */
  static String source(PgTestServer server, String name, String database, String more) {
    return "sources.postgres." + name + " {\n"
        + "  url = \"" + server.url(database) + "\"\n"
        + "  user = " + PgTestServer.EXPORTER_USER + "\n"
        + "  password = " + PgTestServer.EXPORTER_PASSWORD + "\n"
        + more + "\n}\n";
  }

  /** The source of the plan's only database, created for the test, which closes it. */
  static PostgresSource only(Plan plan) {
    return new PostgresSource((PostgresDefinition) plan.sources().get(0).settings());
  }

  static Reading refresh(Source source) throws Exception {
    return refresh(source, Duration.ofSeconds(10));
  }

  static Reading refresh(Source source, Duration timeout) throws Exception {
    RefreshContext context = new RefreshContext(Instant.now().plus(timeout), Clock.systemUTC(), POOL);
    try {
      return source.refresh(context).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  static SourceException failure(Source source) throws Exception {
    try {
      refresh(source);
    } catch (SourceException e) {
      return e;
    }
    throw new AssertionError("the refresh succeeded");
  }

  /** The value of the sample of {@code metric} with these label values, if present. */
  static OptionalDouble value(Reading reading, String metric, String... labels) {
    for (Sample sample : reading.samples()) {
      if (sample.metric().name().equals(metric) && sample.labelValues().equals(List.of(labels))) {
        return OptionalDouble.of(sample.value());
      }
    }
    return OptionalDouble.empty();
  }
}

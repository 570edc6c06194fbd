package io.migrationexporter;

import io.migrationexporter.app.Modules;
import io.migrationexporter.app.Runtime;
import io.migrationexporter.app.Version;
import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.config.JournalSettings;
import io.migrationexporter.config.Plan;
import io.migrationexporter.event.Journal;
import io.migrationexporter.event.JournalFile;
import io.migrationexporter.metrics.Exposition;
import io.migrationexporter.phase.PhaseController;
import io.migrationexporter.phase.PhaseStateException;
import io.migrationexporter.phase.PhaseStore;
import io.migrationexporter.server.HttpServer;
import io.migrationexporter.web.WebConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** A whole exporter: configuration, phase, collection and HTTP server, wired together. */
public final class Exporter implements AutoCloseable {
  private final Runtime runtime;
  private final HttpServer server;

  private Exporter(Runtime runtime, HttpServer server) {
    this.runtime = runtime;
    this.server = server;
  }

  /**
   * Loads {@code configFile} and the web configuration file it names, restores the phase and starts
   * serving; the first collection runs in the background.
   *
   * @throws ConfigException the configuration or web configuration is invalid: nothing was started
   * @throws PhaseStateException the phase state file is unusable: nothing was started
   * @throws IOException the initial phase state could not be written
   */
  public static Exporter start(Path configFile, Clock clock)
      throws ConfigException, PhaseStateException, IOException {
    ConfigLoader loader = Modules.loader();
    Plan plan = loader.load(configFile);
    return start(plan, WebConfig.load(plan.server().webConfigFile()), loader, clock);
  }

  /**
   * Starts a loaded plan, serving with the TLS and basic auth of {@code web}; a reload reads the
   * web configuration file the reloaded plan names.
   */
  public static Exporter start(Plan plan, WebConfig web, ConfigLoader loader, Clock clock)
      throws PhaseStateException, IOException {
    return start(plan, web, Optional.empty(), loader, clock);
  }

  /**
   * Starts a loaded plan, serving with the TLS and basic auth of {@code web}, read from
   * {@code webConfigOverride} when the command line names it: a reload then reads that file
   * again, whatever the plan names.
   */
  public static Exporter start(Plan plan, WebConfig web, Optional<Path> webConfigOverride,
      ConfigLoader loader, Clock clock) throws PhaseStateException, IOException {
    PhaseStore store = new PhaseStore(plan.phases().stateFile());
    // before the journal, which is kept next to the state file by default
    store.prepareDirectory();
    Journal journal = journal(plan, clock);
    PhaseController phases;
    try {
      phases = PhaseController.open(store, clock, journal, plan.phases());
    } catch (PhaseStateException | IOException | RuntimeException e) {
      journal.close();
      throw e;
    }
    Runtime runtime = new Runtime(plan, loader, phases, journal, clock);
    Exposition exposition = new Exposition(Version.get(), loader.families());
    runtime.onNewBoard(exposition::renderAhead);
    // The first collection runs while the server binds: the first scrape waits for it anyway.
    runtime.start();
    HttpServer server;
    try {
      server = HttpServer.start(runtime, exposition, plan.server().host(), plan.server().port(),
          web);
    } catch (RuntimeException e) {
      runtime.close();
      journal.close();
      throw e;
    }
    runtime.alsoReload(server.webReload(webConfigOverride));
    return new Exporter(runtime, server);
  }

  private static Journal journal(Plan plan, Clock clock) throws IOException {
    JournalSettings settings = plan.journalFile();
    if (settings.file().isEmpty()) {
      return new Journal(clock, plan.journalCapacity());
    }
    return new Journal(clock, plan.journalCapacity(),
        JournalFile.open(settings.file().get(), settings.maxBytes(), settings.files()));
  }

  public Runtime runtime() {
    return runtime;
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    runtime.close();
    runtime.journal().close();
  }
}

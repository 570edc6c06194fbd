package io.migrationexporter.cli;

import io.migrationexporter.Exporter;
import io.migrationexporter.app.Modules;
import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.config.Plan;
import io.migrationexporter.log.Logging;
import io.migrationexporter.phase.PhaseStateException;
import io.migrationexporter.web.WebConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Runs the exporter until SIGINT or SIGTERM; SIGHUP reloads the configuration. */
class RunCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger("io.migrationexporter");

  @Spec
  CommandSpec spec;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Configuration file (HOCON). See docs/configuration.md and examples/.")
  Path config;

  @Option(names = "--web.config.file", paramLabel = "FILE",
      description = "TLS and basic auth settings in the Prometheus exporter-toolkit format; it"
          + " overrides server.web-config-file. See docs/security.md.")
  Path webConfigFile;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (config == null) {
      err.println("migration-exporter: give a configuration with --config FILE"
          + " (examples/ has some), or see --help");
      return 2;
    }
    ConfigLoader loader = Modules.loader();
    Plan plan;
    try {
      plan = loader.load(config);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      err.println("migration-exporter: " + config + " is invalid, nothing was started");
      return 2;
    }
    Optional<Path> webFile = WebConfig.chosen(webConfigFile, plan.server());
    WebConfig web;
    try {
      web = WebConfig.load(webFile);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      err.println("migration-exporter: " + webFile.get() + " is invalid, nothing was started");
      return 2;
    }
    Logging.configure(plan.log());
    Exporter exporter;
    try {
      exporter = Exporter.start(plan, web, Optional.ofNullable(webConfigFile), loader,
          Clock.systemUTC());
    } catch (PhaseStateException e) {
      err.println("migration-exporter: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("migration-exporter: cannot write the phase state file "
          + plan.phases().stateFile() + ": " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      if (causedBy(e, BindException.class)) {
        err.println("migration-exporter: cannot listen on " + plan.server().host() + ":"
            + plan.server().port() + ": the address is in use or not available");
        return 1;
      }
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      exporter.close();
      stopped.countDown();
    }, "shutdown"));
    SignalHandler before = Signal.handle(new Signal("HUP"), signal -> {
      List<String> problems = exporter.runtime().reload();
      if (!problems.isEmpty()) {
        LOG.warning("reload on SIGHUP refused: " + String.join("; ", problems));
      }
    });
    if (before == SignalHandler.SIG_IGN) {
      // the JVM keeps a signal ignored at start (nohup does that) ignored: say so, not silently
      LOG.warning("SIGHUP is ignored in this process (started by nohup?): it will not reload"
          + " the configuration; use POST /-/reload (with the admin token, or"
          + " server.enable-lifecycle = true)");
    }
    LOG.info("migration-exporter listening on " + web.scheme() + "://" + plan.server().host() + ":"
        + exporter.port() + "/ with " + plan.checks().size() + " checks, phase "
        + exporter.runtime().phases().state().current()
        + (exporter.runtime().phases().source().configured() ? " (set by the configuration)" : "")
        + "; " + web.describe());
    stopped.await();
    return 0;
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}

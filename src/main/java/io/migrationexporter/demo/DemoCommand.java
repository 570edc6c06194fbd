package io.migrationexporter.demo;

import io.migrationexporter.Exporter;
import io.migrationexporter.config.LogSettings;
import io.migrationexporter.log.Logging;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A simulated production on loopback, watched by a real exporter: web front-ends, an API gateway
 * path and a data warehouse port, and a team that closes them when the phase says so.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the exporter against a simulated production on 127.0.0.1: three web",
        "front-ends, an API gateway path and a data warehouse port. Change the phase (the",
        "command to do so is printed) and watch the simulated team close everything, the",
        "checks turn ok and the ready-to-migrate gate open. Ctrl-C stops it all and removes",
        "its temporary files."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "8642",
      description = "Port of the exporter on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks one).")
  int port;

  @Option(names = "--reaction", defaultValue = "2s",
      description = "How long the simulated team takes per app (default: ${DEFAULT-VALUE}).")
  String reaction;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Logging.configure(new LogSettings(false, "info"));
    Duration perApp = Duration.parse("PT" + reaction.toUpperCase());
    Path dir = Files.createTempDirectory("migration-exporter-demo-");
    List<AutoCloseable> resources = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable cleanup = () -> {
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).close();
        } catch (Exception e) {
          // keep closing the rest
        }
      }
      deleteTree(dir);
      stopped.countDown();
    };
    try {
      SimulatedApp app = add(resources, new SimulatedApp("Pix App", 503));
      SimulatedApp orga = add(resources, new SimulatedApp("Pix Orga", 503));
      SimulatedApp admin = add(resources, new SimulatedApp("Pix Admin", 503));
      SimulatedApp gateway = add(resources, new SimulatedApp("API gateway /api/users", 404));
      SimulatedPort warehouse = add(resources, new SimulatedPort("data warehouse"));

      String token = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16));
      Path tokenFile = dir.resolve("admin-token");
      Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);
      Path config = dir.resolve("demo.conf");
      Files.writeString(config, DemoConfig.render(port, app, orga, admin, gateway, warehouse),
          StandardCharsets.UTF_8);

      Exporter exporter = add(resources, Exporter.start(config, Clock.systemUTC()));
      add(resources, new Team(exporter.runtime(), List.of(
          new Team.Switch(app.name(), app::closed, app::setClosed, 1),
          new Team.Switch(orga.name(), orga::closed, orga::setClosed, 1),
          new Team.Switch(gateway.name(), gateway::closed, gateway::setClosed, 1),
          new Team.Switch(warehouse.name(), warehouse::closed, warehouse::setClosed, 1),
          // the one who forgets: much slower than the others
          new Team.Switch(admin.name(), admin::closed, admin::setClosed, 4)), perApp));

      String base = "http://127.0.0.1:" + exporter.port();
      out.println();
      out.println("migration-exporter demo is running (configuration: " + config + ")");
      out.println("  board     " + base + "/");
      out.println("  metrics   " + base + "/metrics");
      out.println("  status    " + base + "/api/status");
      out.println("  gate      " + base + "/api/gates/ready-to-migrate");
      out.println();
      out.println("Put production in maintenance and watch the checks turn ok, the gate open:");
      out.println("  java -jar target/migration-exporter.jar phase set maintenance --url " + base
          + " --token-file " + tokenFile);
      out.println("Phases: preparation > maintenance > migration > reopening > done. Ctrl-C stops.");
      out.flush();
    } catch (Exception | Error e) {
      cleanup.run();
      throw e;
    }
    java.lang.Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "demo-shutdown"));
    stopped.await();
    return 0;
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> resources, T resource) {
    resources.add(resource);
    return resource;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // nothing else to do at exit
    }
  }
}

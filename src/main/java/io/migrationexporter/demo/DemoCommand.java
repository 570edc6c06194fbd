package io.migrationexporter.demo;

import io.migrationexporter.Exporter;
import io.migrationexporter.app.Runtime;
import io.migrationexporter.event.Event;
import io.migrationexporter.event.JournalFile;
import io.migrationexporter.report.Night;
import io.migrationexporter.report.NightPlan;
import io.migrationexporter.report.NightReport;
import java.io.IOException;
import io.migrationexporter.config.LogSettings;
import io.migrationexporter.log.Logging;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code migration-exporter demo}: the night of a maintenance with a real PostgreSQL migration, in
 * one process on 127.0.0.1, watched by a real exporter that the demo configures and drives
 * through its API, as a team would.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "A simulated maintenance night on 127.0.0.1, about 5 minutes at speed 1.",
        "It brings two real PostgreSQL databases whose answers.id turns from int into bigint, web front-ends,"
            + " an API gateway, fake Scalingo, Freshping and Datadog APIs, apps holding database"
            + " sessions (one of them forgotten for a while) and a migration script waiting on"
            + " the ready-to-migrate gate. The exporter watches it all through a generated"
            + " configuration; a timeline walks the phases preparation, maintenance, migration,"
            + " reopening and done through its API.",
        "",
        "Open the printed board URL. Ctrl-C stops everything and removes the temporary files"
            + " (a few GB at the default size, in java.io.tmpdir).",
        ""})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
  /** Rows of each table of the main database at speed 1: a rewrite of a minute or two. */
  static final int DEFAULT_ROWS = 8_000_000;
  /**
   * Disk the temporary directory takes at the most, per row of the two databases (tables, their
   * indexes, their rewritten copies during the migration), and besides the rows (binaries, WAL).
   */
  private static final long DISK_PER_ROW = 300;
  private static final long DISK_BESIDES_ROWS = 600L << 20;
  /** The data warehouse's share of the rows: its migration ends first, as the board shows. */
  private static final double WAREHOUSE_SHARE = 0.4;
  private static final int FEWEST_ROWS = 1_000;

  @Spec
  CommandSpec spec;

  @Option(names = "--speed", defaultValue = "1", paramLabel = "FACTOR",
      description = "Speed factor of the story: 2 runs it twice as fast (default: ${DEFAULT-VALUE},"
          + " about 5 minutes end to end).")
  double speed;

  @Option(names = "--rows", paramLabel = "N",
      description = "Rows of each table of the pix database (pix_datawarehouse gets 40 %%): they"
          + " set how long the migration takes (default: " + DEFAULT_ROWS + " divided by the"
          + " speed, a minute or two of rewrite at speed 1, about 3 GB of disk).")
  Integer rows;

  @Option(names = "--port", defaultValue = "8642", paramLabel = "PORT",
      description = "Port of the exporter (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Address the exporter listens on (default: ${DEFAULT-VALUE}). Everything else"
          + " stays on 127.0.0.1; 0.0.0.0 is for a container that Prometheus scrapes.")
  String host;

  @Option(names = "--report-dir", defaultValue = "demo-night-report", paramLabel = "DIR",
      description = "Where the report of the night is written once the phase is done, with a"
          + " copy of its journal (default: ${DEFAULT-VALUE} in the current directory).")
  Path reportDir;

  @Option(names = "--exit-when-done",
      description = "Stop once the phase is done (exit status 0, 1 if the story failed) instead"
          + " of keeping the board up until Ctrl-C.")
  boolean exitWhenDone;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!(speed > 0 && speed <= 1000)) {
      err.println("migration-exporter demo: --speed must be above 0 and at most 1000");
      return 2;
    }
    int mainRows = rows != null ? rows : (int) Math.max(FEWEST_ROWS, DEFAULT_ROWS / speed);
    if (mainRows < 1) {
      err.println("migration-exporter demo: --rows must be at least 1");
      return 2;
    }
    int warehouseRows = (int) Math.max(1, mainRows * WAREHOUSE_SHARE);
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long needed = DISK_PER_ROW * (mainRows + (long) warehouseRows) + DISK_BESIDES_ROWS;
    long usable = Files.getFileStore(tmp).getUsableSpace();
    if (usable < needed) {
      err.printf("migration-exporter demo: needs about %.1f GB free in %s (java.io.tmpdir), has"
          + " %.1f GB: make the tables smaller with --rows (now %d) or run java"
          + " -Djava.io.tmpdir=DIR%n", needed / 1e9, tmp, usable / 1e9, mainRows);
      return 1;
    }
    Logging.configure(new LogSettings(false, "info"));
    Narrator narrator = new Narrator(out);
    Teardown teardown = new Teardown(err);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread onSignal = new Thread(() -> {
      narrator.say("demo", "stopping everything...");
      teardown.close();
      narrator.say("demo", "stopped; nothing left behind");
      stopped.countDown();
    }, "demo-shutdown");
    java.lang.Runtime.getRuntime().addShutdownHook(onSignal);
    CompletableFuture<Void> story;
    try {
      story = teardown.setUp(() -> start(new Pace(speed), mainRows, warehouseRows, narrator,
          teardown));
    } catch (Exception | Error e) {
      teardown.close();
      removeHook(onSignal);
      if (causedBy(e, BindException.class)) {
        err.println("migration-exporter demo: cannot listen on " + host + ":" + port
            + ": the address is in use or not available (--port 0 picks a free port)");
        return 1;
      }
      throw e;
    }
    AtomicBoolean failed = new AtomicBoolean();
    story.whenComplete((ignored, error) -> {
      if (error == null && !exitWhenDone) {
        narrator.say("demo", "the board stays up until Ctrl-C");
      } else if (error != null && !teardown.closing()) {
        failed.set(true);
        narrator.say("demo", "the story stopped: " + rootMessage(error)
            + (exitWhenDone ? "" : "; the board stays up to show it (Ctrl-C stops)"));
      }
    });
    if (exitWhenDone) {
      story.handle((ignored, error) -> null).join();
      teardown.close();
      removeHook(onSignal);
      narrator.say("demo", "stopped; nothing left behind");
      return failed.get() ? 1 : 0;
    }
    stopped.await();
    return 0;
  }

  /**
   * Starts everything and returns the story: the timeline and the migration, completing when the
   * phase is done, exceptionally when either fails.
   */
  private CompletableFuture<Void> start(Pace pace, int mainRows, int warehouseRows,
      Narrator narrator, Teardown teardown) throws Exception {
    Workspace workspace = teardown.add(new Workspace());
    narrator.print("migration-exporter demo: a maintenance night on 127.0.0.1 at speed " + speed
        + "; starting two PostgreSQL servers in " + workspace.root() + " ...");
    CompletableFuture<DemoDatabase> mainStart = CompletableFuture.supplyAsync(
        () -> teardown.add(DemoDatabase.start("pix", workspace)));
    CompletableFuture<DemoDatabase> warehouseStart = CompletableFuture.supplyAsync(
        () -> teardown.add(DemoDatabase.start("pix_datawarehouse", workspace)));
    CompletableFuture.allOf(mainStart, warehouseStart).handle((ignored, error) -> null).join();
    DemoDatabase main = mainStart.join();
    DemoDatabase warehouse = warehouseStart.join();

    SaasPlatforms saas = teardown.add(new SaasPlatforms(workspace, Production.HOSTED,
        Production.MONITORED_SITES));
    saas.start();
    Production production = new Production(main, warehouse, narrator, teardown);
    production.startTraffic();

    List<DemoConfig.Database> databases = List.of(
        new DemoConfig.Database("pix", main, Production.API_APP, mainRows),
        new DemoConfig.Database("datawarehouse", warehouse, Production.WAREHOUSE_APP,
            warehouseRows));
    String token = Credentials.random();
    workspace.secret(DemoConfig.ADMIN_TOKEN_FILE, token);
    for (DemoConfig.Database db : databases) {
      workspace.secret(DemoConfig.monitorPasswordFile(db.source()),
          db.database().monitorPassword());
    }
    Path pgpass = workspace.secret("pgpass", String.join("\n", databases.stream()
        .map(db -> "127.0.0.1:" + db.database().port() + ":" + db.database().name() + ":"
            + DemoDatabase.OWNER + ":" + db.database().ownerPassword()).toList()));
    Path config = workspace.write(DemoConfig.FILE,
        DemoConfig.render(host, port, pace, production, saas, databases));
    Exporter exporter = teardown.add(Exporter.start(config, Clock.systemUTC()));
    String local = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    ExporterApi api = new ExporterApi("http://" + local + ":" + exporter.port(), token);

    CompletableFuture<Void> loaded = CompletableFuture.allOf(main.load(mainRows, narrator),
        warehouse.load(warehouseRows, narrator));
    Team team = teardown.add(new Team(production.chores(saas), pace, narrator));
    MigrationRunner runner = teardown.add(new MigrationRunner(api, databases.stream()
        .map(db -> new MigrationRunner.Target(db.database(), db.app())).toList(),
        saas, pace, narrator));
    Timeline timeline = teardown.add(new Timeline(api, team, pace, narrator));

    String base = api.base();
    narrator.print(String.join("\n",
        "",
        "  board      " + base + "/",
        "  metrics    " + base + "/metrics",
        "  status     " + base + "/api/status",
        "  config     " + config + " (check-config accepts it)",
        "  databases  PGPASSFILE=" + pgpass + " psql -h 127.0.0.1 -U " + DemoDatabase.OWNER
            + " -p " + main.port() + " " + main.name() + "   (or -p " + warehouse.port() + " "
            + warehouse.name() + ")",
        "",
        "The timeline walks preparation > maintenance > migration > reopening > done by itself"
            + " (about " + Math.round(5 / speed * 10) / 10.0 + " minutes);",
        "the phase can also be changed from the board with the admin token in "
            + workspace.path(DemoConfig.ADMIN_TOKEN_FILE) + ".",
        exitWhenDone ? "The demo stops once the phase is done."
            : "Ctrl-C stops everything and removes " + workspace.root() + ".",
        ""));
    CompletableFuture<Void> migration = runner.start(loaded);
    CompletableFuture<Void> walk = timeline.run(loaded);
    // The story fails as soon as the load, the migration or the timeline does.
    CompletableFuture<Void> failure = new CompletableFuture<>();
    for (CompletableFuture<Void> part : List.of(loaded, migration, walk)) {
      part.whenComplete((ignored, error) -> {
        if (error != null) {
          failure.completeExceptionally(error);
        }
      });
    }
    CompletableFuture<Void> reported = walk.thenRun(() -> writeReport(exporter, narrator));
    return CompletableFuture.anyOf(reported, failure).thenApply(ignored -> null);
  }

  /**
   * The morning after, at once: the night's report and a copy of its journal, outside the
   * workspace that the end of the demo removes. A report that cannot be written is said, and
   * does not fail the story.
   */
  private void writeReport(Exporter exporter, Narrator narrator) {
    Runtime runtime = exporter.runtime();
    List<Event> events = runtime.journal().all();
    Path dir = reportDir.toAbsolutePath();
    try {
      Night night = NightReport.night(events, NightPlan.of(runtime.plan()), Optional.empty(),
          Optional.of(runtime.clock().instant()));
      List<Path> written = NightReport.write(night, dir);
      Path journal = dir.resolve("night.journal.jsonl");
      JournalFile.writeAll(journal, events);
      narrator.say("demo", "the night's report: " + written.get(0) + " (also .md and .json);"
          + " its journal is beside it, and `migration-exporter report --journal " + journal
          + " --output DIR` tells the night again");
    } catch (IOException | RuntimeException e) {
      narrator.say("demo", "the night's report could not be written to " + dir + ": "
          + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
  }

  private static void removeHook(Thread hook) {
    try {
      java.lang.Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already stopping: the hook runs, and finds nothing left to close
    }
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause
        && (cause instanceof java.util.concurrent.CompletionException
            || cause.getMessage() == null)) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}

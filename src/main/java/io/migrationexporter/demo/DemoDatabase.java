package io.migrationexporter.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One real PostgreSQL server on 127.0.0.1 (the embedded server of the tests) holding one database
 * of the simulated production: {@code answers (id int primary key)} referenced by a foreign key
 * from {@code "knowledge-elements" ("answerId" int)}, as Pix had them before July 2022.
 *
 * <p>Roles, with password authentication for all: the superuser, {@code pix} (owner of the tables:
 * the apps and the migration use it) and {@code migration_exporter} (only {@code pg_monitor}, as
 * docs/postgres.md advises). Each database lives on a server of its own because the exporter's
 * rewrite estimate reads the server-wide WAL: two migrations on one server would each count the
 * other's writes.
 */
final class DemoDatabase implements AutoCloseable {
  static final String OWNER = "pix";
  static final String MONITOR = "migration_exporter";
  /** The embedded server's library logs every start at INFO: only its warnings are of interest. */
  private static final Logger EMBEDDED_LOG = Logger.getLogger("io.zonky");
  private static final String WORKING_DIRECTORY_PROPERTY = "ot.epg.working-dir";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  static {
    EMBEDDED_LOG.setLevel(Level.WARNING);
  }

  private final String name;
  private final Path dataDirectory;
  private final String superuserPassword = Credentials.random();
  private final String ownerPassword = Credentials.random();
  private final String monitorPassword = Credentials.random();
  private volatile EmbeddedPostgres server;
  private volatile Statement loading;

  private DemoDatabase(String name, Path dataDirectory) {
    this.name = name;
    this.dataDirectory = dataDirectory;
  }

  /** Starts a server for database {@code name} with its roles and empty tables. */
  static DemoDatabase start(String name, Workspace workspace) {
    DemoDatabase database = new DemoDatabase(name, workspace.path("postgres-" + name));
    try {
      database.server = builder(workspace, name).setDataDirectory(database.dataDirectory).start();
      database.createRolesAndTables();
      return database;
    } catch (IOException | SQLException | RuntimeException e) {
      database.close();
      throw new IllegalStateException("cannot start PostgreSQL for " + name + ": " + e, e);
    }
  }

  /**
   * The library keeps its extracted binaries and scans for stale servers under a directory of
   * its own in /tmp unless told otherwise: both go into the workspace, which the demo removes.
   */
  private static EmbeddedPostgres.Builder builder(Workspace workspace, String name) {
    Path log = workspace.path("postgres-" + name + ".log");
    EmbeddedPostgres.Builder builder;
    synchronized (DemoDatabase.class) {
      String previous = System.getProperty(WORKING_DIRECTORY_PROPERTY);
      System.setProperty(WORKING_DIRECTORY_PROPERTY, workspace.root().toString());
      try {
        builder = EmbeddedPostgres.builder();
      } finally {
        if (previous == null) {
          System.clearProperty(WORKING_DIRECTORY_PROPERTY);
        } else {
          System.setProperty(WORKING_DIRECTORY_PROPERTY, previous);
        }
      }
    }
    return builder
        // the workspace removes the data once the server is gone; the library would do it from
        // a shutdown hook of its own, racing with the demo's
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(workspace.path("postgres-binaries").toFile())
        .setOutputRedirector(Redirect.appendTo(log.toFile()))
        .setErrorRedirector(Redirect.appendTo(log.toFile()))
        .setServerConfig("listen_addresses", "127.0.0.1")
        // no Unix socket: nothing of the demo is reachable other than on 127.0.0.1
        .setServerConfig("unix_socket_directories", "''")
        .setServerConfig("max_connections", "40")
        .setServerConfig("shared_buffers", "64MB")
        // throwaway data: durability costs time and nothing else
        .setServerConfig("fsync", "off")
        .setServerConfig("full_page_writes", "off")
        // checkpoints often, cheap without fsync: the WAL keeps the disk the demo takes small
        .setServerConfig("max_wal_size", "256MB");
  }

  private void createRolesAndTables() throws IOException, SQLException {
    try (Connection admin = server.getPostgresDatabase().getConnection();
        Statement sql = admin.createStatement()) {
      sql.execute("ALTER ROLE postgres PASSWORD '" + superuserPassword + "'");
      sql.execute("CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + ownerPassword + "'");
      sql.execute("CREATE ROLE " + MONITOR + " LOGIN PASSWORD '" + monitorPassword + "'");
      sql.execute("GRANT pg_monitor TO " + MONITOR);
      sql.execute("CREATE DATABASE " + name + " OWNER " + OWNER);
      // From now on every role, the superuser too, logs in with its password.
      Files.writeString(dataDirectory.resolve("pg_hba.conf"),
          "host all all 127.0.0.1/32 scram-sha-256\n");
      sql.execute("SELECT pg_reload_conf()");
    }
    try (Connection owner = connect("demo-setup"); Statement sql = owner.createStatement()) {
      // The keys are created after the load (much faster), the sequence now as serial would.
      sql.execute("CREATE TABLE answers (id int NOT NULL)");
      sql.execute("CREATE SEQUENCE answers_id_seq AS int OWNED BY answers.id");
      sql.execute("ALTER TABLE answers ALTER COLUMN id SET DEFAULT nextval('answers_id_seq')");
      sql.execute("CREATE TABLE \"knowledge-elements\" (id int NOT NULL, \"answerId\" int)");
    }
  }

  String name() {
    return name;
  }

  int port() {
    return server.getPort();
  }

  String url() {
    // the embedded server has no TLS; the demo stays on loopback
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + name + "?sslmode=disable";
  }

  String monitorPassword() {
    return monitorPassword;
  }

  String ownerPassword() {
    return ownerPassword;
  }

  /** A session of the tables' owner, as an app or the migration opens one. */
  Connection connect(String applicationName) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", OWNER);
    properties.setProperty("password", ownerPassword);
    properties.setProperty("ApplicationName", applicationName);
    return DriverManager.getConnection(url(), properties);
  }

  /**
   * Fills the tables with {@code rows} rows each, then adds the keys, the foreign key and its
   * index, and the statistics the exporter's rewrite estimate reads. Runs in the background.
   */
  CompletableFuture<Duration> load(int rows, Narrator narrator) {
    return CompletableFuture.supplyAsync(() -> {
      long started = System.nanoTime();
      List<String> statements = List.of(
          "INSERT INTO answers SELECT g FROM generate_series(1, " + rows + ") g",
          "SELECT setval('answers_id_seq', " + rows + ")",
          "INSERT INTO \"knowledge-elements\" SELECT g, g FROM generate_series(1, " + rows + ") g",
          "ALTER TABLE answers ADD PRIMARY KEY (id)",
          "ALTER TABLE \"knowledge-elements\" ADD PRIMARY KEY (id)",
          "ALTER TABLE \"knowledge-elements\" ADD FOREIGN KEY (\"answerId\") REFERENCES answers",
          "CREATE INDEX ON \"knowledge-elements\" (\"answerId\")",
          "VACUUM ANALYZE answers, \"knowledge-elements\"");
      try (Connection session = connect("demo-data-load");
          Statement sql = session.createStatement()) {
        loading = sql;
        for (String statement : statements) {
          sql.execute(statement);
        }
      } catch (SQLException e) {
        throw new IllegalStateException("loading " + name + " failed: " + e.getMessage(), e);
      } finally {
        loading = null;
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      narrator.say(name, String.format("%,d answers and %,d knowledge-elements loaded in %d s",
          rows, rows, took.toSeconds()));
      return took;
    }, runnable -> Daemons.named("demo-load-" + name).newThread(runnable).start());
  }

  /** Stops the server and waits until its processes are gone, killing them if they linger. */
  @Override
  public void close() {
    Statement running = loading;
    if (running != null) {
      try {
        running.cancel();
      } catch (SQLException e) {
        // the server stops next, which ends the statement anyway
      }
    }
    List<ProcessHandle> processes = processes();
    try {
      if (server != null) {
        server.close(); // pg_ctl stop -m fast
      } else if (!processes.isEmpty()) {
        processes.get(0).destroy(); // a start that failed half-way: SIGTERM to its postmaster
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      awaitGone(processes);
    }
  }

  /** The postmaster of the data directory and its children, while it runs. */
  private List<ProcessHandle> processes() {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return List.of();
      }
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      return ProcessHandle.of(pid).map(postmaster -> {
        List<ProcessHandle> all = new java.util.ArrayList<>(postmaster.descendants().toList());
        all.add(0, postmaster);
        return all;
      }).orElse(List.of());
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static void awaitGone(List<ProcessHandle> processes) {
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (ProcessHandle process : processes) {
      long left = deadline - System.nanoTime();
      try {
        process.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
    }
  }

  @Override
  public String toString() {
    return "PostgreSQL of " + name;
  }
}

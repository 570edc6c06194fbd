package io.migrationexporter.source.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A real PostgreSQL 16 for the tests, bound to 127.0.0.1 on a free port, with password
 * authentication for every role but the superuser, and a monitoring role that has only
 * {@code pg_monitor}, as the docs advise. One server is shared by the test classes that do not
 * stop it; a test that stops its server starts its own.
 */
public final class PgTestServer implements AutoCloseable {
  public static final String EXPORTER_USER = "exporter";
  public static final String EXPORTER_PASSWORD = "exporter-secret-pw";
  static final String APP_PASSWORD = "app-secret-password";

  private static PgTestServer shared;

  private final Path dataDirectory;
  private final EmbeddedPostgres first;
  private EmbeddedPostgres server;

  private PgTestServer(Path dataDirectory) throws IOException {
    this.dataDirectory = dataDirectory;
    this.first = builder(0).start();
    this.server = first;
  }

  /** The server shared by this JVM's tests, started on first use and stopped at exit. */
  static synchronized PgTestServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** A server of the caller's own, which it must close. */
  public static PgTestServer start() {
    try {
      PgTestServer server = new PgTestServer(Files.createTempDirectory("pg-test-"));
      server.configure();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private EmbeddedPostgres.Builder builder(int onPort) {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "60")
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off");
    if (onPort > 0) {
      builder.setPort(onPort);
    }
    return builder;
  }

  private void configure() throws IOException {
    Files.writeString(dataDirectory.resolve("pg_hba.conf"), """
        local all all trust
        host all postgres 127.0.0.1/32 trust
        host all all 127.0.0.1/32 scram-sha-256
        """);
    try (Connection admin = admin("postgres"); Statement sql = admin.createStatement()) {
      sql.execute("SELECT pg_reload_conf()");
      sql.execute("CREATE ROLE " + EXPORTER_USER + " LOGIN PASSWORD '" + EXPORTER_PASSWORD + "'");
      sql.execute("GRANT pg_monitor TO " + EXPORTER_USER);
      sql.execute("CREATE ROLE app LOGIN PASSWORD '" + APP_PASSWORD + "'");
      sql.execute("CREATE ROLE migrator LOGIN SUPERUSER PASSWORD '" + APP_PASSWORD + "'");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return first.getPort();
  }

  public String url(String database) {
    // no TLS on the test server: without sslmode, a password would make the exporter require it
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?sslmode=disable";
  }

  /** Creates a database owned by {@code app}; each test class uses its own. */
  public String createDatabase(String name) {
    try (Connection admin = admin("postgres"); Statement sql = admin.createStatement()) {
      sql.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      sql.execute("CREATE DATABASE " + name + " OWNER app");
      return name;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public Connection admin(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("ApplicationName", "test-admin");
    return DriverManager.getConnection(url(database), props);
  }

  /** A client session as an app would open one, with its application name. */
  Connection client(String database, String user, String applicationName) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", APP_PASSWORD);
    props.setProperty("ApplicationName", applicationName);
    return DriverManager.getConnection(url(database), props);
  }

  /** Stops the server and starts it again on the same port with the same data. */
  public void stop() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void restart() {
    try {
      server = builder(port()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server and deletes its data (a million-row test leaves a gigabyte behind). */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // the test is over: a server that fails to stop dies with the JVM
    }
    delete(dataDirectory.toFile());
  }

  /** Deletes a tree, going on past files that vanish meanwhile (the server removes its own). */
  private static void delete(java.io.File file) {
    java.io.File[] children = file.listFiles();
    if (children != null) {
      for (java.io.File child : children) {
        delete(child);
      }
    }
    file.delete();
  }
}

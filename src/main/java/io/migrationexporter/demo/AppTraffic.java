package io.migrationexporter.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The database sessions of one app of the simulated production: while the app runs it holds a few
 * sessions (with its application_name, as the exporter's connections check shows them) and uses
 * them; stopping the app closes them. An app nobody stops keeps the gate closed.
 */
final class AppTraffic implements AutoCloseable {
  private static final long QUERY_EVERY_MILLIS = 2000;

  private final String app;
  private final DemoDatabase database;
  private final int sessions;
  private final Narrator narrator;
  private final List<Connection> open = new ArrayList<>();
  private final ScheduledExecutorService timer;

  AppTraffic(String app, DemoDatabase database, int sessions, Narrator narrator) {
    this.app = app;
    this.database = database;
    this.sessions = sessions;
    this.narrator = narrator;
    this.timer = Executors.newSingleThreadScheduledExecutor(Daemons.named("demo-traffic-" + app));
    timer.scheduleWithFixedDelay(this::use, QUERY_EVERY_MILLIS, QUERY_EVERY_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** The app starts: it opens its sessions. */
  synchronized void start() throws SQLException {
    while (open.size() < sessions) {
      open.add(database.connect(app));
    }
  }

  /** The app stops: its sessions close. */
  synchronized void stop() {
    for (Connection connection : open) {
      try {
        connection.close();
      } catch (SQLException e) {
        // a session that cannot close cleanly is dropped by the server with its socket
      }
    }
    open.clear();
  }

  private synchronized void use() {
    for (Connection connection : List.copyOf(open)) {
      try (Statement sql = connection.createStatement()) {
        sql.execute("SELECT 1");
      } catch (SQLException e) {
        narrator.say(app, "lost a session to " + database.name() + ": " + e.getSQLState());
        open.remove(connection);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    stop();
  }

  @Override
  public String toString() {
    return "database sessions of " + app;
  }
}

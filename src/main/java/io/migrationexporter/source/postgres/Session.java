package io.migrationexporter.source.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One of the exporter's database sessions, borrowed from the {@link SessionPool} for one refresh.
 * Closing it gives it back; {@link #discard()} first when an error left it unusable.
 */
final class Session implements AutoCloseable {
  private final SessionPool pool;
  private final Connection connection;
  private final ServerInfo server;
  private boolean reused;
  private boolean broken;

  Session(SessionPool pool, Connection connection, ServerInfo server) {
    this.pool = pool;
    this.connection = connection;
    this.server = server;
  }

  /** Called by the pool when an earlier refresh opened this session. */
  void reuse() {
    reused = true;
  }

  Connection connection() {
    return connection;
  }

  ServerInfo server() {
    return server;
  }

  /** True when the session was opened by an earlier refresh (it may have died since). */
  boolean reused() {
    return reused;
  }

  /** Marks the session unusable: it is closed instead of being kept. */
  void discard() {
    broken = true;
  }

  /** Discards the session when {@code error} broke it. */
  void failed(SQLException error) {
    if (PgErrors.breaksSession(error) || closed()) {
      discard();
    }
  }

  private boolean closed() {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  @Override
  public void close() {
    pool.release(this, broken);
  }
}

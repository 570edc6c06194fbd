package io.migrationexporter.source.postgres;

import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.SourceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.Driver;

/**
 * The exporter's few sessions on one database: at most {@code maxConnections} exist at any time
 * (a semaphore guards every borrow, whatever the number of concurrent refreshes), and at most one
 * is kept between refreshes. A second session exists only while an abandoned refresh still holds
 * the first one.
 *
 * <p>Every session is read-only, autocommit (statistics views take one snapshot per
 * transaction), named {@code migration-exporter}, and carries {@code statement_timeout} and
 * {@code lock_timeout} before it runs anything else, so that no query of the exporter can queue
 * behind a migration's lock for longer than the lock timeout.
 */
final class SessionPool implements AutoCloseable {
  private static final Driver DRIVER = new Driver();
  private static final String SETUP = """
      SELECT set_config('statement_timeout', ?, false), set_config('lock_timeout', ?, false),
             set_config('default_transaction_read_only', 'on', false),
             set_config('idle_in_transaction_session_timeout', ?, false)
      """;

  private final ConnectionSettings settings;
  private final Semaphore permits;
  private final Deque<Session> idle = new ArrayDeque<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger opened = new AtomicInteger();
  private boolean closed;

  SessionPool(ConnectionSettings settings) {
    this.settings = settings;
    this.permits = new Semaphore(settings.maxConnections(), true);
  }

  /**
   * Borrows a session, opening one when none is kept; waits at most {@code wait} for a free one.
   *
   * @throws SourceException the pool is full for longer than {@code wait}, or the connection fails
   */
  Session acquire(Duration wait) throws SourceException {
    boolean permitted;
    try {
      permitted = permits.tryAcquire(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceException(ErrorKind.TIMEOUT, "interrupted while waiting for a session");
    }
    if (!permitted) {
      throw new SourceException(ErrorKind.TIMEOUT, "all " + settings.maxConnections()
          + " sessions of the exporter on " + settings.target() + " are busy");
    }
    try {
      Session kept;
      synchronized (this) {
        if (closed) {
          throw new SourceException(ErrorKind.INTERNAL, "the source is closed");
        }
        kept = idle.pollFirst();
      }
      if (kept == null) {
        return connect();
      }
      kept.reuse();
      return kept;
    } catch (SourceException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  private Session connect() throws SourceException {
    Connection connection = null;
    try {
      connection = DRIVER.connect(settings.url(), properties());
      if (connection == null) {
        throw new SourceException(ErrorKind.INTERNAL, "the PostgreSQL driver refused the URL");
      }
      open.incrementAndGet();
      opened.incrementAndGet();
      connection.setAutoCommit(true);
      try (PreparedStatement setup = connection.prepareStatement(SETUP)) {
        setup.setString(1, settings.statementTimeout().toMillis() + "ms");
        setup.setString(2, settings.lockTimeout().toMillis() + "ms");
        setup.setString(3, settings.statementTimeout().multipliedBy(2).toMillis() + "ms");
        setup.execute();
      }
      return new Session(this, connection, ServerInfo.read(connection));
    } catch (SQLException e) {
      if (connection != null) {
        closeQuietly(connection);
      }
      throw PgErrors.of(e, settings);
    }
  }

  private Properties properties() {
    Properties props = new Properties();
    props.setProperty("user", settings.user());
    settings.password().ifPresent(secret -> props.setProperty("password", secret.reveal()));
    props.setProperty("ApplicationName", ConnectionSettings.APPLICATION_NAME);
    props.setProperty("connectTimeout", String.valueOf(seconds(settings.connectTimeout())));
    // No loginTimeout: the driver would start a thread per connection attempt. The socket timeout
    // bounds the handshake as well; a statement is canceled by the server after
    // statement_timeout, and the socket timeout only catches a server or a network that stopped
    // answering altogether.
    props.setProperty("socketTimeout",
        String.valueOf(seconds(settings.statementTimeout()) + seconds(settings.connectTimeout())));
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("readOnly", "true");
    settings.tls().ifPresent(tls -> {
      props.setProperty("sslmode", tls.mode());
      tls.rootCert().ifPresent(file -> props.setProperty("sslrootcert", file));
      tls.cert().ifPresent(file -> props.setProperty("sslcert", file));
      tls.key().ifPresent(file -> props.setProperty("sslkey", file));
    });
    return props;
  }

  private static long seconds(Duration duration) {
    return Math.max(1, (duration.toMillis() + 999) / 1000);
  }

  void release(Session session, boolean broken) {
    boolean keep;
    synchronized (this) {
      keep = !broken && !closed && idle.isEmpty();
      if (keep) {
        idle.addFirst(session);
      }
    }
    if (!keep) {
      closeQuietly(session.connection());
    }
    permits.release();
  }

  private void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the server or the network already ended it: nothing left to release
    } finally {
      open.decrementAndGet();
    }
  }

  /** Sessions open now, borrowed or kept. */
  int openSessions() {
    return open.get();
  }

  /** Sessions opened since the start: grows by one per reconnection. */
  int sessionsOpened() {
    return opened.get();
  }

  @Override
  public void close() {
    Deque<Session> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayDeque<>(idle);
      idle.clear();
    }
    toClose.forEach(session -> closeQuietly(session.connection()));
  }
}

package io.migrationexporter.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything the demo started, stopped in the reverse order on Ctrl-C, SIGTERM or the end of the
 * story. A teardown that begins during the setup waits for the step under way (a database server
 * being started, say) and aborts the rest: a resource added once the teardown has begun is closed
 * at once and the setup stops there, so that an early Ctrl-C leaves nothing behind either.
 */
final class Teardown implements AutoCloseable {
  /** A PostgreSQL server can take this long to start on a busy machine. */
  private static final Duration LONGEST_SETUP_STEP = Duration.ofSeconds(60);

  /** A setup that may fail. */
  interface Setup<T> {
    T run() throws Exception;
  }

  private final PrintWriter err;
  private final ReentrantLock settingUp = new ReentrantLock();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private boolean closing;

  Teardown(PrintWriter err) {
    this.err = err;
  }

  /** Runs {@code setup}; a teardown that starts meanwhile waits for it to end or abort. */
  <T> T setUp(Setup<T> setup) throws Exception {
    settingUp.lock();
    try {
      return setup.run();
    } finally {
      settingUp.unlock();
    }
  }

  /** Registers {@code resource} to be closed; closes it and throws if the demo is stopping. */
  <T extends AutoCloseable> T add(T resource) {
    synchronized (this) {
      if (!closing) {
        resources.push(resource);
        return resource;
      }
    }
    closeReporting(resource);
    throw new CancellationException("the demo is stopping");
  }

  /** True once the demo is stopping: what fails then fails because of it. */
  synchronized boolean closing() {
    return closing;
  }

  /** Closes everything, each resource even when an earlier one failed to close; idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      closing = true;
    }
    boolean setupOver = false;
    try {
      setupOver = settingUp.tryLock(LONGEST_SETUP_STEP.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      AutoCloseable next;
      while ((next = next()) != null) {
        closeReporting(next);
      }
    } finally {
      if (setupOver) {
        settingUp.unlock();
      }
    }
  }

  private synchronized AutoCloseable next() {
    return resources.poll();
  }

  private void closeReporting(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      err.println("migration-exporter demo: could not stop " + resource + ": " + e);
      err.flush();
    }
  }
}

package io.migrationexporter.web;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that runs bcrypt, with a short queue: a flood of wrong passwords costs one core at
 * most and never takes the workers that answer scrapes, the API and the phase; past the queue, a
 * request is refused at once (429) rather than held. The thread is shared by every listener and
 * reload of the process, and is a daemon: nothing is lost when it stops with the JVM.
 */
final class PasswordChecks {
  static final int QUEUE = 8;
  private static final ExecutorService EXECUTOR = new ThreadPoolExecutor(1, 1, 0,
      TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
        Thread thread = new Thread(runnable, "password-checks");
        thread.setDaemon(true);
        return thread;
      }, new ThreadPoolExecutor.AbortPolicy());

  private PasswordChecks() {}

  /** Runs {@code check} on the bcrypt thread; false when the queue is full. */
  static boolean submit(Runnable check) {
    try {
      EXECUTOR.execute(check);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }
}

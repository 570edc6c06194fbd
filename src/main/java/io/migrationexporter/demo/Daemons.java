package io.migrationexporter.demo;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The demo's threads: named after what they do, and daemons, so none keeps the JVM up. */
final class Daemons {
  private Daemons() {}

  /** Threads named {@code name}, then {@code name-2}, {@code name-3}... */
  static ThreadFactory named(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      int n = count.incrementAndGet();
      Thread thread = new Thread(runnable, n == 1 ? name : name + "-" + n);
      thread.setDaemon(true);
      return thread;
    };
  }
}

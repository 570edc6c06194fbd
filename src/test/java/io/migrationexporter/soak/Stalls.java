package io.migrationexporter.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Times when this JVM did not run at all: a thread that asks to sleep 10 ms and wakes up much
 * later saw the whole process stopped, by a garbage collection (the soak forces some to measure
 * the heap) or by other work on the machine taking the cores. A scrape answered late across
 * such a stall was late by that much through no fault of the exporter's code.
 */
final class Stalls implements AutoCloseable {
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** Shorter lateness is ordinary scheduling noise and is not recorded. */
  private static final long RECORDED_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** A stall: from when the thread should have woken up to when it did, in nanoTime. */
  private record Stall(long from, long to) {}

  private final List<Stall> stalls = new ArrayList<>();
  private final Thread watcher = new Thread(this::watch, "soak-stall-watch");
  private volatile boolean running = true;

  Stalls() {
    watcher.setDaemon(true);
    watcher.setPriority(Thread.MAX_PRIORITY);
    watcher.start();
  }

  private void watch() {
    while (running) {
      long before = System.nanoTime();
      LockSupport.parkNanos(TICK_NANOS);
      long after = System.nanoTime();
      if (after - before - TICK_NANOS > RECORDED_NANOS) {
        synchronized (stalls) {
          stalls.add(new Stall(before + TICK_NANOS, after));
        }
      }
    }
  }

  /** How long the JVM stood still between two {@link System#nanoTime} readings. */
  long stalledNanos(long from, long to) {
    long total = 0;
    synchronized (stalls) {
      for (Stall stall : stalls) {
        total += Math.max(0, Math.min(to, stall.to()) - Math.max(from, stall.from()));
      }
    }
    return total;
  }

  long longestMillis() {
    synchronized (stalls) {
      return stalls.stream().mapToLong(s -> s.to() - s.from()).max().orElse(0) / 1_000_000;
    }
  }

  long totalMillis() {
    synchronized (stalls) {
      return stalls.stream().mapToLong(s -> s.to() - s.from()).sum() / 1_000_000;
    }
  }

  int count() {
    synchronized (stalls) {
      return stalls.size();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    watcher.join(1000);
  }
}

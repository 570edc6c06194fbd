package io.migrationexporter.soak;

import io.migrationexporter.source.postgres.PgTestServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the process holds, sampled through the run: live threads, open file descriptors
 * ({@code /proc/self/fd}), the exporter's sessions on PostgreSQL ({@code pg_stat_activity} rows
 * named {@code migration-exporter}) and, in the first and last windows, the heap in use right
 * after a full GC.
 * The exporter shares the JVM with the soak's fakes and clients, so a leak anywhere shows.
 *
 * <p>Threads are counted without those of the soak's own servers and workers ({@link #HARNESS}):
 * the fakes keep a thread per hung request and the test PostgreSQL one per process it started,
 * which grows with the faults they serve, not with anything the exporter holds.
 *
 * <p>Flat means, between the first and the last window of the run (a minute each, a quarter of
 * a shorter run): the most threads at most {@link #THREADS_SLACK} more, the median count of
 * descriptors (beside {@link #NOT_COUNTED}) at most {@link #FDS_SLACK} more, never more database
 * sessions, and the least heap after GC at most {@link #HEAP_GROWTH} larger (plus
 * {@link #HEAP_FLOOR_BYTES}, below which a heap figure is noise). Peaks, troughs and medians are
 * compared rather than single samples because pools grow and shrink with the faults of the
 * moment.
 */
final class Resources {
  static final int THREADS_SLACK = 5;
  static final int FDS_SLACK = 10;
  /**
   * Descriptors left out of the file descriptor count. A selector (an eventpoll and an eventfd)
   * belongs to a thread: XNIO keeps one for good in each worker thread that once blocked, the
   * JDK HTTP client one per client's selector thread; they are counted through their threads,
   * and the fakes' worker pools, which grow with the longest hang of the run (on a loaded machine
   * that can come in the last minute), are the soak's. Pipes belong to processes: the test
   * PostgreSQL, which the soak restarts, and Chromium.
   */
  static final Set<String> NOT_COUNTED = Set.of("anon_inode:[eventpoll]", "anon_inode:[eventfd]",
      "pipe");
  static final double HEAP_GROWTH = 0.20;
  static final long HEAP_FLOOR_BYTES = 4L << 20;
  /**
   * Threads of the soak, not of the exporter: the SaaS fakes' workers, the loopback target's, the
   * test PostgreSQL's process watchers, the soak's drivers and its plain HTTP clients' workers
   * (the exporter's own clients run on named executors).
   */
  static final Pattern HARNESS = Pattern.compile("fake-.*|loopback-target-.*|soak-.*"
      + "|postgres:pid.*|process reaper.*|HttpClient-\\d+-Worker-\\d+|chromedriver-output"
      + "|Attach Listener");
  /**
   * One sample in this many, in the two windows only, also measures the heap after a full GC: a
   * full GC stops the whole JVM, for seconds when other work takes the cores ({@link Stalls}).
   */
  private static final int HEAP_EVERY = 3;

  /**
   * One sample; {@code pgSessions} and {@code heapAfterGc} are -1 when not measured.
   *
   * @param threads live threads, the soak's own ({@link #HARNESS}) left out
   * @param allThreads every live thread of the JVM
   * @param fds open descriptors beside {@link #NOT_COUNTED}
   */
  record Sample(Instant at, int threads, int allThreads, int fds, int pgSessions,
      long heapAfterGc, long gcMillis) {}

  /**
   * The figures of one window, with the most threads of each name (digits as {@code #}) and the
   * most descriptors of each kind, to tell what grew.
   */
  record Window(int maxThreads, int maxAllThreads, int medianFds, int maxFds, int maxPgSessions,
      long minHeapAfterGc, Map<String, Integer> threadGroups, Map<String, Integer> fdKinds) {}

  /** A window being sampled: its span and the most of each group seen in it so far. */
  private record Span(Instant from, Instant to, Map<String, Integer> threadGroups,
      Map<String, Integer> fdKinds) {
    Span(Instant from, Instant to) {
      this(from, to, new TreeMap<>(), new TreeMap<>());
    }

    boolean holds(Instant at) {
      return !at.isBefore(from) && !at.isAfter(to);
    }
  }

  private final PgTestServer postgres;
  private final Instant start;
  private final Span first;
  private final Span last;
  private final List<Sample> samples = new ArrayList<>();
  private int count;

  /** Samples for a run from {@code start} for {@code duration}. */
  Resources(PgTestServer postgres, Instant start, Duration duration) {
    this.postgres = postgres;
    this.start = start;
    Duration window = duration.dividedBy(4).compareTo(Duration.ofMinutes(1)) < 0
        ? duration.dividedBy(4) : Duration.ofMinutes(1);
    Instant end = start.plus(duration);
    this.first = new Span(start, start.plus(window));
    this.last = new Span(end.minus(window), end);
  }

  void sample() {
    long heap = -1;
    long gcMillis = 0;
    Instant now = Instant.now();
    if ((first.holds(now) || last.holds(now)) && count++ % HEAP_EVERY == 0) {
      long before = System.nanoTime();
      System.gc();
      gcMillis = (System.nanoTime() - before) / 1_000_000;
      heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
    Instant at = Instant.now();
    Map<String, Integer> fdKinds = fds();
    Set<Thread> threads = Thread.getAllStackTraces().keySet();
    int exporterThreads = (int) threads.stream()
        .filter(thread -> !HARNESS.matcher(thread.getName()).matches()).count();
    int fds = fdKinds.entrySet().stream().filter(kind -> !NOT_COUNTED.contains(kind.getKey()))
        .mapToInt(Map.Entry::getValue).sum();
    Sample sample = new Sample(at, exporterThreads, threads.size(), fds, pgSessions(), heap,
        gcMillis);
    Map<String, Integer> threadGroups = new TreeMap<>();
    threads.forEach(thread ->
        threadGroups.merge(thread.getName().replaceAll("\\d+", "#"), 1, Integer::sum));
    synchronized (this) {
      samples.add(sample);
      for (Span span : List.of(first, last)) {
        if (span.holds(at)) {
          threadGroups.forEach((name, n) -> span.threadGroups().merge(name, n, Math::max));
          fdKinds.forEach((kind, n) -> span.fdKinds().merge(kind, n, Math::max));
        }
      }
    }
  }

  /** Open descriptors by kind: socket, pipe, anon_inode:[eventpoll], a file's directory. */
  private static Map<String, Integer> fds() {
    Map<String, Integer> kinds = new TreeMap<>();
    try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
      open.forEach(fd -> kinds.merge(kind(fd), 1, Integer::sum));
    } catch (IOException e) {
      // /proc is Linux's: elsewhere the soak counts no descriptors
    }
    return kinds;
  }

  private static String kind(Path fd) {
    try {
      String target = Files.readSymbolicLink(fd).toString();
      int bracket = target.indexOf(":[");
      if (bracket > 0 && !target.startsWith("anon_inode")) {
        return target.substring(0, bracket);
      }
      Path parent = Path.of(target).getParent();
      return target.startsWith("/") && parent != null ? parent.toString() : target;
    } catch (IOException e) {
      return "closed meanwhile";
    }
  }

  /** The exporter's sessions, or -1 while the server is down (being restarted). */
  private int pgSessions() {
    try (Connection admin = postgres.admin("postgres"); Statement sql = admin.createStatement();
        ResultSet row = sql.executeQuery("SELECT count(*) FROM pg_stat_activity"
            + " WHERE application_name = 'migration-exporter'")) {
      row.next();
      return row.getInt(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  /** The longest full GC the soak forced to measure the heap, in milliseconds. */
  synchronized long longestForcedGcMillis() {
    return samples.stream().mapToLong(Sample::gcMillis).max().orElse(0);
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  synchronized Window first() {
    return window(first);
  }

  synchronized Window last() {
    return window(last);
  }

  private Window window(Span span) {
    List<Sample> in = samples.stream().filter(s -> span.holds(s.at())).toList();
    int[] fds = in.stream().mapToInt(Sample::fds).sorted().toArray();
    return new Window((int) max(in, Sample::threads), (int) max(in, Sample::allThreads),
        fds.length == 0 ? -1 : fds[fds.length / 2], (int) max(in, Sample::fds),
        (int) max(in, Sample::pgSessions),
        in.stream().mapToLong(Sample::heapAfterGc).filter(h -> h >= 0).min().orElse(-1),
        Map.copyOf(span.threadGroups()), Map.copyOf(span.fdKinds()));
  }

  private static long max(List<Sample> in, ToLongFunction<Sample> field) {
    return in.stream().mapToLong(field).max().orElse(-1);
  }

  /** Every sample as CSV, from the start of the run. */
  synchronized String csv() {
    StringBuilder out = new StringBuilder(
        "seconds,threads,all_threads,fds,pg_sessions,heap_after_gc_bytes,gc_millis\n");
    for (Sample sample : samples) {
      out.append(Duration.between(start, sample.at()).toMillis() / 1000).append(',')
          .append(sample.threads()).append(',').append(sample.allThreads()).append(',')
          .append(sample.fds()).append(',').append(sample.pgSessions()).append(',')
          .append(sample.heapAfterGc()).append(',').append(sample.gcMillis()).append('\n');
    }
    return out.toString();
  }

  /** What grew from the first window to the last beyond the slack; empty when flat. */
  List<String> growth() {
    Window from = first();
    Window to = last();
    List<String> grown = new ArrayList<>();
    if (to.maxThreads() > from.maxThreads() + THREADS_SLACK) {
      grown.add("threads beside the soak's " + from.maxThreads() + " -> " + to.maxThreads()
          + " (grown: " + grown(from.threadGroups(), to.threadGroups()) + ")");
    }
    // The median, not the peak: connections opened and closed by the moment's probes make the
    // count jump by several between two samples; a leak raises the median as much as the peak.
    if (to.medianFds() > from.medianFds() + FDS_SLACK) {
      grown.add("file descriptors " + from.medianFds() + " -> " + to.medianFds() + " (grown: "
          + grown(from.fdKinds(), to.fdKinds()) + ")");
    }
    if (to.maxPgSessions() > from.maxPgSessions()) {
      grown.add("database sessions " + from.maxPgSessions() + " -> " + to.maxPgSessions());
    }
    if (to.minHeapAfterGc() > from.minHeapAfterGc() * (1 + HEAP_GROWTH) + HEAP_FLOOR_BYTES) {
      grown.add("heap after GC " + mib(from.minHeapAfterGc()) + " -> "
          + mib(to.minHeapAfterGc()));
    }
    return grown;
  }

  /** The groups that have more in {@code to} than in {@code from}: "name before -> after". */
  static Map<String, String> grown(Map<String, Integer> from, Map<String, Integer> to) {
    Map<String, String> grown = new TreeMap<>();
    to.forEach((name, n) -> {
      int before = from.getOrDefault(name, 0);
      if (n > before) {
        grown.put(name, before + " -> " + n);
      }
    });
    return grown;
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}

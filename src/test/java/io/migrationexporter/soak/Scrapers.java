package io.migrationexporter.soak;

import io.migrationexporter.testing.Scrape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;

/**
 * Sixteen Prometheus servers scraping at once: each its own HTTP client and connection, its own
 * scrape timeout header (from a quarter of a second of budget to ten seconds), format and encoding.
 * Every answer must be a 200 with the exporter's metrics, within the scraper's deadline: the
 * timeout it sent less the exporter's offset, plus {@link #TOLERANCE} for the answer to travel
 * and the time the whole JVM stood still meanwhile ({@link Stalls}). The tolerance is the
 * exporter's default offset: answered within it, Prometheus has the answer before it gives up.
 */
final class Scrapers implements AutoCloseable {
  static final int SCRAPERS = 16;
  static final Duration TOLERANCE = Duration.ofMillis(500);
  /** Where thread dumps of late scrapes go. */
  static final Path DUMPS = Path.of("target", "soak-late-scrapes.txt");
  /** Pause between two scrapes of one scraper: 64 scrapes a second in all. */
  private static final Duration PACE = Duration.ofMillis(250);
  private static final int MAX_DUMPS = 3;
  private static final double[] TIMEOUTS = {0.5, 1, 1.5, 2, 3, 5, 10, 2.5};
  private static final String[] ACCEPTS = {Scrape.PROTOBUF,
      "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", "application/openmetrics-text;version=1.0.0",
      "*/*"};

  private final int port;
  private final Duration offset;
  private final Findings findings;
  private final Stalls stalls;
  private final ExecutorService callbacks = Executors.newFixedThreadPool(2,
      Daemons.named("soak-scraper-io"));
  private final ScheduledExecutorService scrapers =
      Executors.newScheduledThreadPool(SCRAPERS, Daemons.named("soak-scraper"));
  private final List<HttpClient> clients = new ArrayList<>();
  private final ScheduledExecutorService lateWatch =
      Executors.newSingleThreadScheduledExecutor(Daemons.named("soak-late-watch"));
  private final LongAdder scrapes = new LongAdder();
  private final Map<Double, AtomicLong> maxMillisByTimeout = new TreeMap<>();
  private final AtomicLong worstOverrunMillis = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong worstOverrunBesideStallsMillis = new AtomicLong(Long.MIN_VALUE);
  /** Scrapes sent before this only drive the warm-up; none of them is judged. */
  private volatile Instant judgedSince = Instant.MAX;
  /** An in-flight judged scrape: when it was sent and when it must have answered, in nanoTime. */
  private record InFlight(long sentAt, long lateAfter) {
    /** Late beyond the time the whole JVM stood still since it was sent: as judged at the end. */
    boolean late(long now, Stalls stalls) {
      return now - lateAfter - stalls.stalledNanos(sentAt, now) > 0;
    }
  }

  private final Map<Thread, InFlight> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger dumps = new AtomicInteger();

  Scrapers(int port, Duration offset, Findings findings, Stalls stalls) {
    this.port = port;
    this.offset = offset;
    this.findings = findings;
    this.stalls = stalls;
    for (double timeout : TIMEOUTS) {
      maxMillisByTimeout.put(timeout, new AtomicLong());
    }
  }

  void start() {
    for (int i = 0; i < SCRAPERS; i++) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).executor(callbacks).build();
      clients.add(client);
      double timeout = TIMEOUTS[i % TIMEOUTS.length];
      String accept = ACCEPTS[i % ACCEPTS.length];
      boolean gzip = i % 3 == 0;
      scrapers.scheduleWithFixedDelay(() -> scrape(client, timeout, accept, gzip), i * 10L,
          PACE.toMillis(), TimeUnit.MILLISECONDS);
    }
    lateWatch.scheduleWithFixedDelay(this::dumpWhenLate, 100, 100, TimeUnit.MILLISECONDS);
  }

  /** From now on, every scrape counts and must be on time. */
  void startJudging() {
    judgedSince = Instant.now();
  }

  /** The exporter's budget for a timeout header, as server.Deadlines computes it. */
  private Duration budget(double timeoutSeconds) {
    Duration timeout = Duration.ofNanos((long) (timeoutSeconds * 1e9));
    Duration budget = timeout.minus(offset);
    return budget.compareTo(Duration.ofMillis(100)) < 0 ? timeout.dividedBy(2) : budget;
  }

  /**
   * Dumps every thread when a scrape is running late, while it still is: what the exporter's
   * threads are doing then is what whoever debugs it needs ({@link #DUMPS}, a few at most, so
   * only for a scrape late beyond the JVM's stalls, as the finding will be).
   */
  private void dumpWhenLate() {
    long now = System.nanoTime();
    boolean late = inFlight.values().stream().anyMatch(scrape -> scrape.late(now, stalls));
    if (!late || dumps.get() >= MAX_DUMPS) {
      return;
    }
    StringBuilder dump = new StringBuilder("==== a scrape is late at " + Instant.now() + "\n");
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      dump.append('"').append(thread.getName()).append("\" ").append(thread.getState())
          .append('\n');
      for (StackTraceElement frame : stack) {
        dump.append("    at ").append(frame).append('\n');
      }
    });
    try {
      Files.writeString(DUMPS, dump, StandardOpenOption.CREATE,
          dumps.getAndIncrement() == 0 ? StandardOpenOption.TRUNCATE_EXISTING
              : StandardOpenOption.APPEND);
    } catch (IOException e) {
      findings.add("scrape-late", "cannot write " + DUMPS + ": " + e);
    }
  }

  private void scrape(HttpClient client, double timeout, String accept, boolean gzip) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds((long) timeout + 10))
        .header("Accept", accept)
        .header("X-Prometheus-Scrape-Timeout-Seconds", Double.toString(timeout));
    if (gzip) {
      request.header("Accept-Encoding", "gzip");
    }
    boolean judged = !Instant.now().isBefore(judgedSince);
    long start = System.nanoTime();
    HttpResponse<byte[]> response;
    if (judged) {
      inFlight.put(Thread.currentThread(),
          new InFlight(start, start + budget(timeout).plus(TOLERANCE).toNanos()));
    }
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      if (judged) {
        findings.add("scrape-failed", "timeout " + timeout + " s: " + e);
      }
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } finally {
      inFlight.remove(Thread.currentThread());
    }
    long end = System.nanoTime();
    if (!judged) {
      return;
    }
    long millis = (end - start) / 1_000_000;
    long stalled = stalls.stalledNanos(start, end) / 1_000_000;
    scrapes.increment();
    maxMillisByTimeout.get(timeout).accumulateAndGet(millis, Math::max);
    long overrun = millis - budget(timeout).toMillis();
    worstOverrunMillis.accumulateAndGet(overrun, Math::max);
    worstOverrunBesideStallsMillis.accumulateAndGet(overrun - stalled, Math::max);
    if (overrun - stalled > TOLERANCE.toMillis()) {
      findings.add("scrape-late", "timeout " + timeout + " s (budget " + budget(timeout).toMillis()
          + " ms) answered after " + millis + " ms, " + stalled + " ms of them with the JVM"
          + " stalled");
    }
    if (response.statusCode() != 200) {
      findings.add("scrape-status", "timeout " + timeout + " s answered " + response.statusCode());
      return;
    }
    try {
      byte[] body = response.body();
      if (response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      boolean complete = response.headers().firstValue("Content-Type").orElse("")
          .startsWith("application/vnd.google.protobuf")
          ? Scrape.parse(body).hasFamily("migration_check_status")
          : new String(body, StandardCharsets.UTF_8).contains("\nmigration_check_status{");
      if (!complete) {
        findings.add("scrape-body", "timeout " + timeout + " s, " + accept
            + ": no migration_check_status in the answer");
      }
    } catch (IOException | RuntimeException e) {
      findings.add("scrape-body", "timeout " + timeout + " s, " + accept + ": " + e);
    }
  }

  long scrapes() {
    return scrapes.sum();
  }

  long worstOverrunMillis() {
    return worstOverrunMillis.get();
  }

  /** The same, less the time the whole JVM stood still during each scrape ({@link Stalls}). */
  long worstOverrunBesideStallsMillis() {
    return worstOverrunBesideStallsMillis.get();
  }

  /** The slowest answer for each timeout header, in milliseconds. */
  Map<Double, Long> maxMillisByTimeout() {
    Map<Double, Long> out = new TreeMap<>();
    maxMillisByTimeout.forEach((timeout, max) -> out.put(timeout, max.get()));
    return out;
  }

  long maxMillis() {
    return maxMillisByTimeout().values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  @Override
  public void close() throws InterruptedException {
    scrapers.shutdown();
    if (!scrapers.awaitTermination(30, TimeUnit.SECONDS)) {
      findings.add("scrape-failed", "scrapers still running 30 s after the end");
      scrapers.shutdownNow();
    }
    callbacks.shutdownNow();
    lateWatch.shutdownNow();
  }
}

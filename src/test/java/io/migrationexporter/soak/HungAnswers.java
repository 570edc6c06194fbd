package io.migrationexporter.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The judge of answers while a SaaS fake hangs: a scrape, a status and a gate request, in turn,
 * must each be answered within the exporter's request budget (plus {@link Scrapers#TOLERANCE}
 * and the time the JVM stood still), from the data held, never waiting on the hung source. The
 * scrape sends a 10 s timeout header, so an exporter that waited on the hang would be seconds late.
 */
final class HungAnswers implements AutoCloseable {
  private static final Duration PACE = Duration.ofMillis(500);
  private static final List<String> PATHS =
      List.of("/metrics", "/api/status", "/api/gates/ready-to-migrate");

  private final int port;
  private final Duration budget;
  private final Findings findings;
  private final Stalls stalls;
  private final Set<String> hanging = ConcurrentHashMap.newKeySet();
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService asker =
      Executors.newSingleThreadScheduledExecutor(Daemons.named("soak-hung-answers"));
  private final AtomicInteger answers = new AtomicInteger();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLong slowestMillis = new AtomicLong();

  HungAnswers(int port, Duration budget, Findings findings, Stalls stalls) {
    this.port = port;
    this.budget = budget;
    this.findings = findings;
    this.stalls = stalls;
  }

  void start() {
    asker.scheduleWithFixedDelay(this::askIfHanging, 0, PACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** From now until {@link #cleared}, {@code fault} holds a source's calls unanswered. */
  void hangs(String fault) {
    hanging.add(fault);
  }

  void cleared(String fault) {
    hanging.remove(fault);
  }

  private void askIfHanging() {
    if (hanging.isEmpty()) {
      return;
    }
    String path = PATHS.get(next.getAndIncrement() % PATHS.size());
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("X-Prometheus-Scrape-Timeout-Seconds", "10")
        .build();
    long start = System.nanoTime();
    try {
      client.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      findings.add("hung-answer-failed", path + " while " + hanging + ": " + e);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long end = System.nanoTime();
    long millis = (end - start) / 1_000_000;
    long stalled = stalls.stalledNanos(start, end) / 1_000_000;
    answers.incrementAndGet();
    slowestMillis.accumulateAndGet(millis, Math::max);
    if (millis - stalled > budget.plus(Scrapers.TOLERANCE).toMillis()) {
      findings.add("hung-answer-late", path + " while " + hanging + " answered after " + millis
          + " ms (" + stalled + " ms of them with the JVM stalled), budget "
          + budget.toMillis() + " ms");
    }
  }

  int answers() {
    return answers.get();
  }

  long slowestMillis() {
    return slowestMillis.get();
  }

  @Override
  public void close() {
    asker.shutdownNow();
  }
}

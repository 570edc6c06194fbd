package io.migrationexporter.soak;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.testing.RawHttp;
import io.migrationexporter.testing.TestExporter;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An attacker from outside during the night (issue 16 findings 1 and 4), against a second exporter
 * guarded as one facing a network: basic auth (bcrypt) and the admin token. Round after round
 * until the soak ends: a wrong-password flood from {@link #FLOODERS} connections, each from its own
 * loopback address, while an authenticated Prometheus scrapes every quarter second, each scrape
 * judged against {@link #SCRAPE_DEADLINE} beside JVM stalls; then a phase change and a reload
 * flood, more {@code POST /-/reload} (with the admin token) than {@code events.capacity}, after
 * which the phase change must still be in {@code /api/events}.
 */
final class AuthFloods implements Runnable, AutoCloseable {
  static final int FLOODERS = 50;
  /** The bench's goal is a p99 under 1 s with 200 flooders; each scrape here, on a busy soak. */
  static final Duration SCRAPE_DEADLINE = Duration.ofSeconds(2);
  private static final Duration FLOOD = Duration.ofSeconds(5);
  /** From the start of one round to the next: the floods take a part of the night, not all. */
  private static final Duration ROUND = Duration.ofSeconds(20);
  private static final Duration SCRAPE_PACE = Duration.ofMillis(250);
  /**
   * Between two guesses of one flooder: 500 guesses a second in all, tens of times what the
   * bcrypt thread checks, without taking from the rest of the soak the CPU a flood of new
   * connections would.
   */
  private static final Duration GUESS_PACE = Duration.ofMillis(100);
  /** The least {@code events.capacity} there is: a reload flood past it stays short. */
  private static final int EVENTS_KEPT = 10;
  private static final int RELOADS = EVENTS_KEPT * 3;
  private static final String USER = "prometheus";
  private static final String PASSWORD = "soak-scrape-password";

  private final TestExporter guarded;
  private final Findings findings;
  private final Stalls stalls;
  private final Instant end;
  private final String credentials = "Authorization: " + TestExporter.basic(USER, PASSWORD);
  private final ExecutorService flooders = Executors.newFixedThreadPool(FLOODERS,
      Daemons.named("soak-password-flood"));
  private final LongAdder floodRequests = new LongAdder();
  private final LongAdder floodUnanswered = new LongAdder();
  private final LongAdder scrapes = new LongAdder();
  private final AtomicLong slowestScrapeMillis = new AtomicLong();
  private int rounds;
  private int reloads;
  private boolean maintenance;

  private AuthFloods(TestExporter guarded, Findings findings, Stalls stalls, Instant end) {
    this.guarded = guarded;
    this.findings = findings;
    this.stalls = stalls;
    this.end = end;
  }

  /** Starts the guarded exporter in {@code dir}; it runs until {@link #close}. */
  static AuthFloods start(Path dir, Findings findings, Stalls stalls, Instant end)
      throws Exception {
    Files.createDirectories(dir);
    // cost 10, as htpasswd -B and the toolkit's examples: a wrong guess costs tens of ms of CPU
    Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  " + USER + ": '"
        + BCrypt.withDefaults().hashToString(10, PASSWORD.toCharArray()) + "'\n");
    TestExporter guarded = TestExporter.start(dir, """
        server.web-config-file = web.yml
        server.admin-token = "%s"
        events.capacity = %d
        """.formatted(SoakWorld.ADMIN_TOKEN, EVENTS_KEPT) + TestExporter.ONE_CHECK);
    return new AuthFloods(guarded, findings, stalls, end);
  }

  /** Rounds until the soak's end, and at least one. */
  @Override
  public void run() {
    do {
      long roundEnd = System.nanoTime() + ROUND.toNanos();
      try {
        scrape(); // Prometheus scraped before the attack: its credentials are known
        passwordFlood();
        reloadFlood();
        rounds++;
        // the soak's timeline: the next round at its time, whatever the machine's speed
        TimeUnit.NANOSECONDS.sleep(Math.max(0, roundEnd - System.nanoTime()));
      } catch (IOException | RuntimeException e) {
        findings.add("auth-flood", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    } while (Instant.now().isBefore(end));
  }

  private void passwordFlood() throws IOException, InterruptedException {
    AtomicBoolean flooding = new AtomicBoolean(true);
    List<Future<?>> flood = new ArrayList<>();
    for (int i = 0; i < FLOODERS; i++) {
      String from = "127.0.3." + (i + 1); // its own address: the per-address limit stays aside
      String wrong = "Authorization: " + TestExporter.basic(USER, "guess-" + i);
      flood.add(flooders.submit(() -> {
        while (flooding.get()) {
          int status;
          try {
            status = RawHttp.status(RawHttp.exchange(from, guarded.port(),
                RawHttp.get("/metrics", wrong)));
          } catch (SocketTimeoutException e) {
            floodUnanswered.increment(); // reported: a guess is nobody's scrape
            continue;
          }
          floodRequests.increment();
          if (status != 401 && status != 429) {
            findings.add("auth-flood", "a wrong password was answered " + status);
          }
          TimeUnit.MILLISECONDS.sleep(GUESS_PACE.toMillis());
        }
        return null;
      }));
    }
    long floodEnd = System.nanoTime() + FLOOD.toNanos();
    try {
      while (System.nanoTime() < floodEnd) {
        scrape();
        TimeUnit.MILLISECONDS.sleep(SCRAPE_PACE.toMillis()); // Prometheus's pace, not a wait
      }
    } finally {
      flooding.set(false);
    }
    for (Future<?> flooder : flood) {
      try {
        flooder.get(1, TimeUnit.MINUTES);
      } catch (Exception e) {
        findings.add("auth-flood", "a flooder failed: " + e);
      }
    }
  }

  /** One authenticated scrape, judged: a 200 with metrics, within the deadline beside stalls. */
  private void scrape() throws IOException {
    long sent = System.nanoTime();
    String answer = RawHttp.exchange("127.0.0.1", guarded.port(),
        RawHttp.get("/metrics", credentials));
    long received = System.nanoTime();
    scrapes.increment();
    long millis = TimeUnit.NANOSECONDS.toMillis(received - sent);
    slowestScrapeMillis.accumulateAndGet(millis, Math::max);
    long beside = TimeUnit.NANOSECONDS.toMillis(received - sent
        - stalls.stalledNanos(sent, received));
    if (RawHttp.status(answer) != 200 || !answer.contains("migration_phase")) {
      findings.add("auth-scrape-failed", "an authenticated scrape under the password flood"
          + " answered " + answer.lines().findFirst().orElse("nothing"));
    } else if (beside > SCRAPE_DEADLINE.toMillis()) {
      findings.add("auth-scrape-late", "an authenticated scrape under the password flood took "
          + millis + " ms (" + beside + " ms beside JVM stalls)");
    }
  }

  /** A phase change, then more reloads than the events kept: the change must still be served. */
  private void reloadFlood() throws IOException {
    maintenance = !maintenance;
    String phase = maintenance ? "maintenance" : "preparation";
    String admin = "X-Admin-Token: " + SoakWorld.ADMIN_TOKEN;
    int changed = RawHttp.status(RawHttp.exchange("127.0.0.1", guarded.port(),
        send("PUT", "/api/phase", "{\"phase\": \"" + phase + "\", \"actor\": \"soak\"}",
            credentials, admin)));
    if (changed != 200) {
      findings.add("reload-flood", "PUT /api/phase " + phase + " answered " + changed);
      return;
    }
    for (int i = 0; i < RELOADS; i++) {
      int status = RawHttp.status(RawHttp.exchange("127.0.0.1", guarded.port(),
          send("POST", "/-/reload", "", credentials, admin)));
      reloads++;
      if (status != 200) {
        findings.add("reload-flood", "POST /-/reload with the admin token answered " + status);
        return;
      }
    }
    String answer = RawHttp.exchange("127.0.0.1", guarded.port(),
        RawHttp.get("/api/events?limit=1000", credentials));
    JsonNode events = TestExporter.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4))
        .path("events");
    boolean kept = false;
    for (JsonNode event : events) {
      kept |= event.path("type").asText().equals("phase") && event.path("to").asText().equals(phase);
    }
    if (!kept) {
      findings.add("reload-flood", RELOADS + " reloads erased the phase change to " + phase
          + " from /api/events");
    }
  }

  private static String send(String method, String path, String body, String... headers) {
    StringBuilder request = new StringBuilder(method + " " + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return request.append("Content-Type: application/json\r\nContent-Length: ")
        .append(bytes.length).append("\r\nConnection: close\r\n\r\n").append(body).toString();
  }

  int rounds() {
    return rounds;
  }

  long floodRequests() {
    return floodRequests.sum();
  }

  long floodUnanswered() {
    return floodUnanswered.sum();
  }

  long scrapes() {
    return scrapes.sum();
  }

  long slowestScrapeMillis() {
    return slowestScrapeMillis.get();
  }

  int reloads() {
    return reloads;
  }

  @Override
  public void close() throws InterruptedException {
    flooders.shutdownNow();
    flooders.awaitTermination(30, TimeUnit.SECONDS);
    guarded.close();
  }
}

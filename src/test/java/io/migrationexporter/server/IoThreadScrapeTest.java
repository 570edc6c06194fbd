package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undertow's two I/O threads each serve many connections: whatever one of them waits for, every
 * other scraper whose connection it holds waits too, far past its own deadline. A scrape served on
 * an I/O thread must therefore never wait for a refresh, even when the interval runs out between
 * the moment it found nothing due and the moment it takes the board.
 */
class IoThreadScrapeTest {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  /**
   * A clock that stands still, and when armed moves on by one step just after the next time an
   * I/O thread reads it: the interval passes right after the handler saw nothing due.
   */
  private static final class StepAfterIoRead extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final AtomicReference<Duration> armed = new AtomicReference<>();

    void stepAfterNextIoRead(Duration step) {
      armed.set(step);
    }

    @Override
    public Instant instant() {
      Instant read = now.get();
      if (Thread.currentThread().getName().contains(" I/O-")) {
        Duration step = armed.getAndSet(null);
        if (step != null) {
          now.set(read.plus(step));
        }
      }
      return read;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("tests use UTC");
    }
  }

  @Test
  void aScrapeOnTheIoThreadNeverWaitsForARefreshThatFellDueMeanwhile(@TempDir Path dir)
      throws Exception {
    StepAfterIoRead clock = new StepAfterIoRead();
    try (LoopbackTarget app = LoopbackTarget.start()) {
      app.answer("/app", LoopbackTarget.Answer.status(200));
      try (TestExporter exporter = TestExporter.start(dir, """
          checks.app { interval = 1s, http { url = "%s", timeout = %ds } }
          """.formatted(app.url("/app"), PROBE_TIMEOUT.toSeconds()), clock)) {
        Await.until("the first collection", () -> exporter.get("/-/ready").statusCode() == 200,
            Duration.ofSeconds(10));
        // nothing is due while the clock stands still: this scrape leaves the board serialized
        exporter.scrape();
        app.answer("/app", LoopbackTarget.Answer.status(200).hanging());

        clock.stepAfterNextIoRead(Duration.ofMillis(1500));
        long start = System.nanoTime();
        Scrape scrape = exporter.scrape(Deadlines.SCRAPE_TIMEOUT_HEADER, "10");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("a scrape answered from the data held, not after the hung probe")
            .isLessThan(PROBE_TIMEOUT.dividedBy(2));
        assertThat(scrape.get("migration_source_up", "source", "http:app")).isEqualTo(1.0);
        // the refresh that fell due is started by the next scrape, on a worker thread
        HttpResponse<String> next = exporter.get("/metrics",
            Deadlines.SCRAPE_TIMEOUT_HEADER, "1");
        assertThat(next.statusCode()).isEqualTo(200);
        Await.until("the due probe sent", () -> app.requests("/app") == 2, Duration.ofSeconds(5));
        app.releaseAll();
      }
    }
  }
}

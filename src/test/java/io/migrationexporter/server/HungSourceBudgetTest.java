package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.LoopbackTarget.Answer;
import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One source hangs (its HTTP target never answers within its 30 s timeout) while another answers
 * at once: the hung one delays neither the other's refreshes, which follow their own interval
 * without any request, nor a scrape, a status or a gate answer beyond the request budget.
 */
class HungSourceBudgetTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  /** The budget plus what a loaded machine adds; without the budget an answer takes 9.5 s. */
  static final Duration ANSWER_LIMIT = Duration.ofSeconds(4);

  @TempDir
  Path dir;
  LoopbackTarget target;
  TestExporter exporter;

  @BeforeEach
  void start() throws Exception {
    target = LoopbackTarget.start();
    target.answer("/hung", Answer.status(200).hanging());
    target.answer("/quick", Answer.status(503));
    exporter = TestExporter.start(dir, """
        server.request-budget = 1s
        phases.initial = maintenance
        checks {
          hung { interval = 1s, http { url = "%s", timeout = 30s } }
          quick { interval = 200ms, http { url = "%s" } }
        }
        """.formatted(target.url("/hung"), target.url("/quick")));
  }

  @AfterEach
  void stop() {
    target.releaseAll();
    if (exporter != null) {
      exporter.close();
    }
    target.close();
  }

  @Test
  void aHungSourceNeverDelaysAnotherSourceNorAnAnswerBeyondTheBudget() throws Exception {
    exporter.awaitCheck("quick", "ok", WAIT);
    Await.until("the hung source to be asked", () -> target.requests("/hung"), n -> n > 0, WAIT);

    int before = target.requests("/quick");
    long started = System.nanoTime();
    Await.until("the quick source to be read on its own schedule, with nobody asking",
        () -> target.requests("/quick"), n -> n >= before + 5, WAIT);
    Duration fiveRefreshes = Duration.ofNanos(System.nanoTime() - started);
    assertThat(fiveRefreshes).as("5 refreshes at 200ms, not at the hung source's pace")
        .isLessThan(Duration.ofSeconds(8));

    for (int round = 0; round < 3; round++) {
      HttpResponse<String> status = timed("/api/status", () -> exporter.get("/api/status"));
      assertThat(status.statusCode()).isEqualTo(200);
      HttpResponse<String> gate = timed("the gate",
          () -> exporter.get("/api/gates/ready-to-migrate"));
      assertThat(gate.statusCode()).as("a source never read keeps the gate closed").isEqualTo(503);
      timed("a scrape", () -> exporter.get("/metrics", Deadlines.SCRAPE_TIMEOUT_HEADER, "10"));
    }
    assertThat(exporter.checkStatus("hung").path("state").asText())
        .as("a source never read stays unknown, never green").isEqualTo("unknown");
    assertThat(exporter.checkStatus("quick").path("state").asText()).isEqualTo("ok");
  }

  private static HttpResponse<String> timed(String what, Supplier<HttpResponse<String>> request) {
    long started = System.nanoTime();
    HttpResponse<String> response = request.get();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).as(what + " answered within the request budget").isLessThan(ANSWER_LIMIT);
    return response;
  }
}

package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.migrationexporter.testing.RawHttp;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, finding 1: a flood of wrong passwords (each bcrypt about 0.3 s at cost 12) must be
 * refused at once past a short queue, and an operator with remembered credentials keeps using the
 * API, which needs a worker thread, meanwhile.
 */
class PasswordFloodTest {
  static final String PASSWORD = "flood-test-password";
  static final int FLOODERS = 64;

  @TempDir
  Path dir;
  TestExporter exporter;
  String alice;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  alice: "
        + BCrypt.withDefaults().hashToString(12, PASSWORD.toCharArray()) + "\n");
    exporter = TestExporter.start(dir, "server.web-config-file = web.yml\n"
        + TestExporter.ONE_CHECK);
    alice = "Authorization: " + TestExporter.basic("alice", PASSWORD);
  }

  @AfterEach
  void stop() {
    exporter.close();
  }

  private record Timed(int status, long millis, String answer) {}

  private Timed timed(String from, String request) throws Exception {
    long start = System.nanoTime();
    String answer = RawHttp.exchange(from, exporter.port(), request);
    return new Timed(RawHttp.status(answer), (System.nanoTime() - start) / 1_000_000, answer);
  }

  @Test
  void wrongPasswordsPastTheQueueAre429AtOnceAndTheApiKeepsAnswering() throws Exception {
    assertThat(timed("127.0.0.1", RawHttp.get("/api/status", alice)).status()).isEqualTo(200);
    ExecutorService pool = Executors.newFixedThreadPool(FLOODERS);
    try {
      List<Future<Timed>> flood = new ArrayList<>();
      for (int i = 0; i < FLOODERS; i++) {
        // each from its own address, so that the per-address limit stays out of the way
        String from = "127.0.1." + (i + 1);
        String wrong = "Authorization: " + TestExporter.basic("alice", "guess-" + i);
        flood.add(pool.submit(() -> timed(from, RawHttp.get("/api/status", wrong))));
      }
      List<Long> operator = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Timed status = timed("127.0.0.1", RawHttp.get("/api/status", alice));
        assertThat(status.status()).isEqualTo(200);
        operator.add(status.millis());
      }
      List<Timed> refused = new ArrayList<>();
      for (Future<Timed> answer : flood) {
        Timed timed = answer.get();
        assertThat(timed.status()).isIn(401, 429);
        if (timed.status() == 429) {
          refused.add(timed);
        }
      }
      assertThat(refused).as("a queue of %d checks, %d guesses at once", PasswordChecks.QUEUE,
          FLOODERS).hasSizeGreaterThan(FLOODERS / 2);
      for (Timed timed : refused) {
        assertThat(timed.answer()).contains("Retry-After: 1", "too many password checks");
        // without a bcrypt or a wait; generous for a loaded machine, far below the old 5 s
        assertThat(timed.millis()).isLessThan(2_000);
      }
      // 9 checks of 0.3 s ahead at most: the operator never waits for the flood's bcrypt
      assertThat(operator).allMatch(millis -> millis < 2_000, "under 2 s: " + operator);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAddressThatFailedTenTimesAMinuteGets429WithoutABcryptButRememberedCredentialsPass()
      throws Exception {
    String from = "127.0.2.1";
    assertThat(timed(from, RawHttp.get("/metrics", alice)).status()).isEqualTo(200);
    long before = AuthFailures.total(AuthFailures.Method.BASIC);
    String wrong = "Authorization: " + TestExporter.basic("alice", "wrong");
    for (int i = 0; i < FailureLimit.LIMIT; i++) {
      assertThat(timed(from, RawHttp.get("/metrics", wrong)).status()).isEqualTo(401);
    }
    Timed limited = timed(from, RawHttp.get("/metrics", wrong));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.answer()).contains("too many wrong passwords from this address");
    int retryAfter = Integer.parseInt(limited.answer().replaceAll("(?s).*Retry-After: (\\d+).*",
        "$1"));
    assertThat(retryAfter).isBetween(2, 61);
    assertThat(timed(from, RawHttp.get("/metrics", alice)).status())
        .as("remembered credentials need no bcrypt").isEqualTo(200);
    assertThat(timed("127.0.2.2", RawHttp.get("/metrics", wrong)).status())
        .as("another address").isEqualTo(401);
    assertThat(AuthFailures.total(AuthFailures.Method.BASIC) - before)
        .isEqualTo(FailureLimit.LIMIT + 1);
    assertThat(timed(from, RawHttp.get("/metrics", alice)).answer())
        .contains("migration_exporter_auth_failures_total{method=\"basic\"}");
  }
}

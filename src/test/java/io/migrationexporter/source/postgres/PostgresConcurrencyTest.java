package io.migrationexporter.source.postgres;

import static io.migrationexporter.source.postgres.PgSources.load;
import static io.migrationexporter.source.postgres.PgSources.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.collect.SourceException;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** However many scrapes arrive at once, the exporter holds no more sessions than its pool. */
class PostgresConcurrencyTest {
  private static final int SCRAPERS = 16;
  private static PgTestServer server;
  private static String database;
  private static ExecutorService scrapers;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    server = PgTestServer.shared();
    database = server.createDatabase("concurrency_test");
    scrapers = Executors.newFixedThreadPool(SCRAPERS);
  }

  @AfterAll
  static void stop() {
    scrapers.shutdownNow();
  }

  /** Polls pg_stat_activity for the exporter's sessions and keeps the highest count seen. */
  private static final class SessionWatcher implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger highest = new AtomicInteger();
    private final AtomicInteger looks = new AtomicInteger();
    private final CompletableFuture<Void> loop;

    SessionWatcher() throws Exception {
      Connection monitor = server.admin("postgres");
      loop = CompletableFuture.runAsync(() -> {
        try (monitor; Statement sql = monitor.createStatement()) {
          while (running.get()) {
            try (ResultSet row = sql.executeQuery("SELECT count(*) FROM pg_stat_activity"
                + " WHERE application_name = 'migration-exporter'")) {
              row.next();
              highest.accumulateAndGet(row.getInt(1), Math::max);
              looks.incrementAndGet();
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }

    int highest() {
      return highest.get();
    }

    @Override
    public void close() throws Exception {
      running.set(false);
      loop.get(10, TimeUnit.SECONDS);
      assertThat(looks.get()).as("the watcher looked").isPositive();
    }
  }

  @Test
  void sixteenConcurrentScrapesNeverHoldMoreThanThePool() throws Exception {
    String config = PgSources.source(server, "main", database, """
        interval = 1ms
        stale-after = 10s
        max-connections = 2
        """);
    List<Integer> statuses = new ArrayList<>();
    try (TestExporter exporter = TestExporter.start(dir, config);
        SessionWatcher watcher = new SessionWatcher()) {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Integer>> scrapes = new ArrayList<>();
      for (int i = 0; i < SCRAPERS * 20; i++) {
        scrapes.add(CompletableFuture.supplyAsync(() -> {
          try {
            go.await();
            return exporter.get("/metrics").statusCode();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, scrapers));
      }
      go.countDown();
      for (CompletableFuture<Integer> scrape : scrapes) {
        statuses.add(scrape.get(60, TimeUnit.SECONDS));
      }
      PostgresSource source = (PostgresSource) exporter.exporter().runtime().collector()
          .source("postgres:main").orElseThrow();
      assertThat(source.pool().openSessions()).isLessThanOrEqualTo(2);
      assertThat(watcher.highest()).as("exporter sessions seen in pg_stat_activity")
          .isBetween(1, 2);
    }
    assertThat(statuses).containsOnly(200);
  }

  /** Sixteen refreshes started at once bypassing the collector's single flight. */
  @Test
  void sixteenRefreshesAtOnceShareThePool() throws Exception {
    try (PostgresSource source = only(load(dir, PgSources.source(server, "main", database, "")));
        SessionWatcher watcher = new SessionWatcher()) {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Boolean>> refreshes = new ArrayList<>();
      for (int i = 0; i < SCRAPERS; i++) {
        refreshes.add(CompletableFuture.supplyAsync(() -> {
          try {
            go.await();
            PgSources.refresh(source);
            return true;
          } catch (SourceException e) {
            return false; // a refresh may time out waiting: never a third session
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, scrapers));
      }
      go.countDown();
      int succeeded = 0;
      for (CompletableFuture<Boolean> refresh : refreshes) {
        succeeded += refresh.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(succeeded).isPositive();
      assertThat(source.pool().openSessions()).isEqualTo(1);
      assertThat(watcher.highest()).isBetween(1, 2);
    }
  }

  /** The pool's own guard: sixteen borrowers, never more than two sessions. */
  @Test
  void thePoolNeverOpensMoreThanItsSize() throws Exception {
    PostgresSource source = only(load(dir, PgSources.source(server, "main", database, "")));
    SessionPool pool = source.pool();
    AtomicInteger highest = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> borrowers = new ArrayList<>();
    for (int i = 0; i < SCRAPERS; i++) {
      borrowers.add(CompletableFuture.runAsync(() -> {
        try {
          go.await();
          try (Session session = pool.acquire(Duration.ofSeconds(20))) {
            highest.accumulateAndGet(pool.openSessions(), Math::max);
            try (Statement sql = session.connection().createStatement()) {
              sql.execute("SELECT pg_sleep(0.05)");
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, scrapers));
    }
    go.countDown();
    for (CompletableFuture<Void> borrower : borrowers) {
      borrower.get(60, TimeUnit.SECONDS);
    }
    assertThat(highest.get()).isEqualTo(2);
    assertThat(pool.openSessions()).as("one session kept between refreshes").isEqualTo(1);
    source.close();
    assertThat(pool.openSessions()).isZero();
  }
}

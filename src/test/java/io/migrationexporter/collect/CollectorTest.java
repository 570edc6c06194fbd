package io.migrationexporter.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.CheckState;
import io.migrationexporter.check.Evaluator;
import io.migrationexporter.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The collector and the evaluator with a source the test drives by hand: what happens to a check
 * when its source fails, however it fails.
 */
class CollectorTest {
  private static final SourceSchedule SCHEDULE = new SourceSchedule(Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(5));
  private static final CheckDefinition CHECK = new CheckDefinition("front", "Front", "maintenance",
      "", "test", "test:front", "seen", Set.of("maintenance"), Set.of("preparation"));

  private final MutableClock clock = MutableClock.startingNow();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final ManualSource source = new ManualSource();
  private final Collector collector = Collector.create(List.of(source.definition(SCHEDULE)), clock,
      pool);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** A source whose refreshes complete when the test says; its settings open this very source. */
  private static final class ManualSource implements Source, SourceSettings {
    final ConcurrentLinkedQueue<CompletableFuture<Reading>> refreshes = new ConcurrentLinkedQueue<>();

    SourceDefinition definition(SourceSchedule schedule) {
      return new SourceDefinition("test:front", schedule, this);
    }

    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      return this;
    }

    @Override
    public String describe(SourceDefinition definition) {
      return "manual";
    }

    @Override
    public CompletableFuture<Reading> refresh(RefreshContext context) {
      CompletableFuture<Reading> refresh = new CompletableFuture<>();
      refreshes.add(refresh);
      return refresh;
    }

    CompletableFuture<Reading> last() {
      return refreshes.stream().reduce((a, b) -> b).orElseThrow();
    }
  }

  private static Reading open() {
    return Reading.builder().observation("seen", Observation.open("In service")).build();
  }

  private CheckResult evaluate() {
    return Evaluator.evaluate(CHECK, "preparation", collector.states().get("test:front"), SCHEDULE,
        clock.instant());
  }

  private void refreshTo(Reading reading) throws Exception {
    CompletableFuture<Void> done = collector.refreshDue();
    source.last().complete(reading);
    done.get(5, TimeUnit.SECONDS);
  }

  private void refreshFailing(Throwable error) throws Exception {
    CompletableFuture<Void> done = collector.refreshDue();
    source.last().completeExceptionally(error);
    done.get(5, TimeUnit.SECONDS);
  }

  @Test
  void concurrentCallersShareOneRefreshAndTheIntervalIsRespected() throws Exception {
    CompletableFuture<Void> first = collector.refreshDue();
    CompletableFuture<Void> second = collector.refreshDue();
    assertThat(source.refreshes).hasSize(1);
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();

    source.last().complete(open());
    CompletableFuture.allOf(first, second).get(5, TimeUnit.SECONDS);
    collector.refreshDue().get(5, TimeUnit.SECONDS);
    assertThat(source.refreshes).as("within the interval").hasSize(1);

    clock.advance(Duration.ofSeconds(10));
    collector.refreshDue();
    assertThat(source.refreshes).hasSize(2);
  }

  @Test
  void failedRefreshMakesTheCheckUnknownThoughTheLastReadingIsKept() throws Exception {
    refreshTo(open());
    assertThat(evaluate().state()).isEqualTo(CheckState.OK);

    clock.advance(Duration.ofSeconds(10));
    refreshFailing(new SourceException(ErrorKind.AUTH, "the API token was refused"));

    SourceState state = collector.states().get("test:front");
    assertThat(state.lastReading()).isPresent();
    assertThat(state.up()).isFalse();
    assertThat(state.lastErrorKind()).contains(ErrorKind.AUTH);
    assertThat(state.failures()).containsEntry(ErrorKind.AUTH, 1L);
    CheckResult result = evaluate();
    assertThat(result.state()).isEqualTo(CheckState.UNKNOWN);
    assertThat(result.reason()).isEqualTo("source unreachable: the API token was refused");
  }

  @Test
  void theCountBehindTheWordsGoesWithFreshDataOnly() throws Exception {
    refreshTo(Reading.builder().observation("seen", Observation.open("Running (2)")
        .counting(2, "containers")).build());
    assertThat(evaluate().quantity()).contains(new Observation.Quantity(2, "containers"));

    clock.advance(Duration.ofSeconds(30));
    assertThat(evaluate().state()).as("at the staleness limit").isEqualTo(CheckState.OK);
    assertThat(evaluate().quantity()).isPresent();

    clock.advance(Duration.ofSeconds(1));
    CheckResult stale = evaluate();
    assertThat(stale.state()).isEqualTo(CheckState.UNKNOWN);
    assertThat(stale.quantity()).as("no old number shown as current").isEmpty();
    assertThat(collector.states().get("test:front").lastReading()).as("the reading is kept")
        .isPresent();
  }

  @Test
  void unexpectedExceptionIsAnInternalErrorWithoutItsMessage() throws Exception {
    refreshFailing(new IllegalStateException("GET https://user:s3cret@api.example.org failed"));

    SourceState state = collector.states().get("test:front");
    assertThat(state.lastErrorKind()).contains(ErrorKind.INTERNAL);
    assertThat(state.lastError()).contains("internal error: IllegalStateException");
    assertThat(evaluate().state()).isEqualTo(CheckState.UNKNOWN);
    assertThat(evaluate().reason()).doesNotContain("s3cret");
  }

  @Test
  void refreshThatNeverEndsIsAbandonedAtTheSourcesLimit() throws Exception {
    SourceSchedule quick = new SourceSchedule(Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMillis(100));
    Collector limited = Collector.create(List.of(new ManualSource().definition(quick)), clock,
        pool);

    limited.refreshDue().get(5, TimeUnit.SECONDS);

    SourceState state = limited.states().get("test:front");
    assertThat(state.lastErrorKind()).contains(ErrorKind.TIMEOUT);
    assertThat(state.lastError()).contains("refresh did not finish within 100ms");
    assertThat(Evaluator.evaluate(CHECK, "preparation", state, quick, clock.instant()).state())
        .isEqualTo(CheckState.UNKNOWN);
  }

  @Test
  void noRefreshStartsBeforeTheUpstreamSaysSo() throws Exception {
    refreshFailing(new SourceException(ErrorKind.RATE_LIMITED, "rate limited",
        clock.instant().plusSeconds(60)));

    clock.advance(Duration.ofSeconds(30));
    collector.refreshDue();
    assertThat(source.refreshes).hasSize(1);

    clock.advance(Duration.ofSeconds(31));
    collector.refreshDue();
    assertThat(source.refreshes).hasSize(2);
  }

  @Test
  void dataOlderThanStaleAfterIsNoEvidence() throws Exception {
    refreshTo(open());

    clock.advance(Duration.ofSeconds(30));
    assertThat(evaluate().state()).isEqualTo(CheckState.OK);
    clock.advance(Duration.ofMillis(1));
    assertThat(evaluate().state()).isEqualTo(CheckState.UNKNOWN);
  }
}

package io.migrationexporter.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.phase.PhaseSource;
import io.migrationexporter.phase.PhaseState;
import io.migrationexporter.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Renderings kept beside the newest boards: computed once each, a second caller waits. */
class BoardRenderingsTest {
  private static final Instant T0 = Instant.parse("2026-11-26T22:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final BoardRenderings renderings = new BoardRenderings();
  private final AtomicInteger rendered = new AtomicInteger();

  @Test
  void aRenderingIsComputedOnceAndASecondCallerWaitsForIt() throws Exception {
    Board board = board(T0);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<byte[]> first = CompletableFuture.supplyAsync(() ->
        renderings.rendering(board, "text", () -> {
          started.countDown();
          await(release);
          return bytes();
        }));
    assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    CompletableFuture<byte[]> second = new CompletableFuture<>();
    Thread secondCaller = new Thread(
        () -> second.complete(renderings.rendering(board, "text", this::bytes)));
    secondCaller.start();
    Await.until("the second caller waits for the first one's rendering",
        () -> secondCaller.getState() == Thread.State.BLOCKED
            || secondCaller.getState() == Thread.State.WAITING, WAIT);

    assertThat(renderings.renderingIfDone(board, "text")).as("never waits").isEmpty();
    release.countDown();

    assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isSameAs(first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertThat(rendered).as("rendered once, by the first caller").hasValue(1);
    assertThat(renderings.renderingIfDone(board, "text")).containsSame(first.get());
  }

  @Test
  void theTwoNewestBoardsKeepTheirRenderingsAndOlderOnesAreNotKept() {
    Board first = board(T0);
    Board second = board(T0.plusSeconds(1));
    Board third = board(T0.plusSeconds(2));
    renderings.rendering(first, "text", this::bytes);
    renderings.rendering(second, "text", this::bytes);
    renderings.rendering(third, "text", this::bytes);

    assertThat(renderings.renderingIfDone(third, "text")).isPresent();
    assertThat(renderings.renderingIfDone(second, "text"))
        .as("a request still answering with the board just replaced").isPresent();
    assertThat(renderings.renderingIfDone(first, "text")).isEmpty();

    renderings.rendering(first, "text", this::bytes);
    assertThat(renderings.renderingIfDone(first, "text")).as("older than those kept").isEmpty();
    assertThat(renderings.renderingIfDone(third, "text")).isPresent();
    assertThat(rendered).hasValue(4);
  }

  @Test
  void boardsAreToldApartByIdentityNotByContents() {
    Board board = board(T0);
    Board sameContents = board(T0);
    renderings.rendering(board, "text", this::bytes);

    assertThat(sameContents).isEqualTo(board);
    assertThat(renderings.renderingIfDone(sameContents, "text")).isEmpty();
    renderings.rendering(sameContents, "text", this::bytes);
    assertThat(renderings.renderingIfDone(sameContents, "text"))
        .as("a new board of the same instant is the newer one").isPresent();
    assertThat(rendered).hasValue(2);
  }

  private byte[] bytes() {
    rendered.incrementAndGet();
    return new byte[] {1};
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static Board board(Instant at) {
    return new Board(at, new PhaseState("maintenance", Map.of("maintenance", T0), "test"),
        List.of("maintenance"), PhaseSource.stateFile("state.json"), List.of(), List.of(),
        List.of(), Map.of(), Map.of(), new Board.ConfigStatus("exporter.conf", true, T0, ""),
        at.plus(Duration.ofMinutes(1)));
  }
}

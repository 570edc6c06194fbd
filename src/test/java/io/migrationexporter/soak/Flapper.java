package io.migrationexporter.soak;

import io.migrationexporter.check.CheckResult;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.LoopbackTarget.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The loopback apps flapping: each goes round in service (200), in maintenance (503), hanging and
 * slow, shifted from the others, so that every HTTP check meets every answer and the probes of
 * different checks overlap. After a hang, the check must show the app's new state in time.
 */
final class Flapper {
  /** How long an app keeps one behaviour: longer than a recovery may take. */
  static final Duration PERIOD = Duration.ofSeconds(4);
  private static final Duration SLOW = Duration.ofMillis(400);

  private enum Behaviour { IN_SERVICE, HANGING, IN_MAINTENANCE, SLOW }

  private final LoopbackTarget target;
  private final Recoveries recoveries;
  private final List<CompletableFuture<Void>> watches = new ArrayList<>();
  private int tick;

  Flapper(LoopbackTarget target, Recoveries recoveries) {
    this.target = target;
    this.recoveries = recoveries;
    for (int app = 1; app <= SoakWorld.FLAPPING_APPS; app++) {
      target.answer(SoakWorld.flappingPath(app), answer(Behaviour.IN_SERVICE));
    }
  }

  /** Moves every app to its next behaviour; called once per {@link #PERIOD}. */
  void next() {
    tick++;
    Behaviour[] all = Behaviour.values();
    for (int app = 1; app <= SoakWorld.FLAPPING_APPS; app++) {
      String path = SoakWorld.flappingPath(app);
      Behaviour now = all[(tick + app) % all.length];
      Behaviour before = all[(tick + app - 1) % all.length];
      target.release(path);
      target.answer(path, answer(now));
      if (before == Behaviour.HANGING) {
        Instant cleared = Instant.now();
        boolean closed = now == Behaviour.IN_MAINTENANCE;
        String check = SoakWorld.flappingCheck(app);
        watches.add(recoveries.watchRecovery("http:" + check, "hang of " + path, cleared,
            (state, board) -> board.checks().stream()
                .filter(result -> result.check().name().equals(check))
                .anyMatch(result -> shows(result, closed, cleared))));
      }
    }
  }

  private static boolean shows(CheckResult result, boolean closed, Instant after) {
    return result.observedAt() != null && result.observedAt().isAfter(after)
        && result.observedClosed() != null
        && (closed ? result.observedClosed() : result.observedOpen());
  }

  private static Answer answer(Behaviour behaviour) {
    return switch (behaviour) {
      case IN_SERVICE -> Answer.status(200).body("in service");
      case IN_MAINTENANCE -> Answer.status(503).body("down for maintenance");
      case HANGING -> Answer.status(200).body("late").hanging();
      case SLOW -> Answer.status(200).body("slow").delay(SLOW);
    };
  }

  /** Waits for the recoveries still being watched. */
  void finish() {
    CompletableFuture.allOf(watches.toArray(CompletableFuture[]::new)).join();
  }
}

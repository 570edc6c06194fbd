package io.migrationexporter.demo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The simulated operations team: at the start of the maintenance they close the production one
 * chore after the other, each at its own time; one of them is forgotten for a while, which is why
 * the board and its gate matter. At the reopening they open everything again, in the reverse
 * order.
 */
final class Team implements AutoCloseable {
  private static final Duration REOPENING_STEP = Duration.ofSeconds(3);

  /** Something that can fail, as stopping an app or closing its sessions can. */
  interface Action {
    void run() throws Exception;
  }

  /**
   * One thing the team closes for the maintenance ({@code after} its start, at speed 1) and opens
   * again at the reopening, with the words that tell it.
   */
  record Chore(String who, Duration after, String closedWords, Action close, String openWords,
      Action open) {}

  private final List<Chore> chores;
  private final Pace pace;
  private final Narrator narrator;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Daemons.named("demo-team"));

  Team(List<Chore> chores, Pace pace, Narrator narrator) {
    this.chores = List.copyOf(chores);
    this.pace = pace;
    this.narrator = narrator;
  }

  void closeProduction() {
    for (Chore chore : chores) {
      schedule(pace.of(chore.after()), chore.who(), chore.closedWords(), chore.close());
    }
  }

  void reopenProduction() {
    for (int i = 0; i < chores.size(); i++) {
      Chore chore = chores.get(chores.size() - 1 - i);
      schedule(pace.of(REOPENING_STEP.multipliedBy(i + 1)), chore.who(), chore.openWords(),
          chore.open());
    }
  }

  private void schedule(Duration delay, String who, String words, Action action) {
    timer.schedule(() -> {
      try {
        action.run();
        narrator.say(who, words);
      } catch (Exception e) {
        narrator.say(who, "failed: " + e.getMessage());
      }
    }, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  @Override
  public String toString() {
    return "the simulated team";
  }
}

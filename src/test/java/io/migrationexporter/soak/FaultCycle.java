package io.migrationexporter.soak;

import io.migrationexporter.demo.fakes.FakeScalingo;
import io.migrationexporter.demo.fakes.FakeServer;
import io.migrationexporter.demo.fakes.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One SaaS fake going through every fault it knows, over and over until the soak ends: each fault
 * is switched on and must show as it should ({@link Effect}), is held while more refreshes meet
 * it, and is cleared; then every source of the fake must recover in time ({@link Recoveries}).
 */
final class FaultCycle implements Runnable {
  /** A slow answer, but well within the sources' one-second call timeout. */
  static final Duration SLOW_ANSWER = Duration.ofMillis(300);
  /** Longest a source may take to show a fault: its interval, a call timeout, and slack. */
  private static final Duration SEEN_WITHIN = Duration.ofSeconds(4);

  private static final String HANG = stepName(Fault.HANG);

  /** What a fault must do to the fake's sources. */
  enum Effect {
    /** Their refreshes fail: the sources are down, their checks unknown. */
    DOWN,
    /** The API says the app is gone: the sources are up and their checks see neither state. */
    ABSENT,
    /** Nothing: no refresh fails (a slow answer, a JWT to exchange again). */
    UNHARMED
  }

  /** One fault: its name, how to switch it on, and what it must do. */
  record Step(String name, Consumer<FakeServer> on, Effect effect) {}

  private final String name;
  private final FakeServer fake;
  private final List<String> sources;
  private final List<Step> steps;
  private final Recoveries recoveries;
  private final HungAnswers hungAnswers;
  private final Instant end;
  private int episodes;

  FaultCycle(String name, FakeServer fake, List<String> sources, List<Step> steps,
      Recoveries recoveries, HungAnswers hungAnswers, Instant end) {
    this.name = name;
    this.fake = fake;
    this.sources = List.copyOf(sources);
    this.steps = List.copyOf(steps);
    this.recoveries = recoveries;
    this.hungAnswers = hungAnswers;
    this.end = end;
  }

  /**
   * Every fault of {@link Fault}: a slow answer must do no harm, any other takes the sources
   * down unless {@code effects} says otherwise.
   */
  static List<Step> every(Map<Fault, Effect> effects) {
    List<Step> steps = new ArrayList<>();
    for (Fault fault : heaviestFirst()) {
      Effect effect = effects.getOrDefault(fault,
          fault == Fault.SLOW ? Effect.UNHARMED : Effect.DOWN);
      steps.add(new Step(stepName(fault), fake -> fake.fault(fault), effect));
    }
    return steps;
  }

  private static String stepName(Fault fault) {
    return fault.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The faults, those that hold threads and sockets (a hang, a huge answer) first: the pools of
   * the fakes and of the exporter reach their size in the soak's first window, so that the
   * comparison with the last window measures leaks, not warm-up.
   */
  private static List<Fault> heaviestFirst() {
    List<Fault> faults = new ArrayList<>(List.of(Fault.HANG, Fault.HUGE_BODY));
    for (Fault fault : Fault.values()) {
      if (!faults.contains(fault)) {
        faults.add(fault);
      }
    }
    return faults;
  }

  /** Scalingo's: a 404 means the app is gone; JWTs expiring early must be exchanged unseen. */
  static List<Step> scalingo() {
    List<Step> steps = new ArrayList<>(every(Map.of(Fault.NOT_FOUND, Effect.ABSENT)));
    steps.add(new Step("expired-jwt", fake -> ((FakeScalingo) fake).expireIssuedJwts(),
        Effect.UNHARMED));
    return steps;
  }

  /**
   * Goes round the faults until {@code end}, and at least once: a loaded machine makes the short
   * soak longer rather than leave a fault out.
   */
  @Override
  public void run() {
    for (int i = 0; i < steps.size() || Instant.now().isBefore(end); i++) {
      episode(steps.get(i % steps.size()));
    }
  }

  private void episode(Step step) {
    String fault = name + " " + step.name();
    Instant since = Instant.now();
    List<Long> failuresBefore = sources.stream().map(recoveries::failures).toList();
    step.on().accept(fake);
    boolean hangs = step.name().equals(HANG);
    if (hangs) {
      hungAnswers.hangs(fault);
    }
    for (String source : sources) {
      switch (step.effect()) {
        case DOWN -> recoveries.awaitDown(source, fault, since, SEEN_WITHIN);
        case ABSENT -> recoveries.awaitAbsent(source, fault, since, SEEN_WITHIN);
        case UNHARMED -> { }
      }
      // a fault that does no harm must do none over several refreshes
      recoveries.awaitAttempts(source, step.effect() == Effect.UNHARMED ? 2 : 1,
          SEEN_WITHIN.multipliedBy(2));
    }
    if (step.effect() != Effect.DOWN) {
      for (int i = 0; i < sources.size(); i++) {
        recoveries.expectNoNewFailure(sources.get(i), fault, failuresBefore.get(i));
      }
    }
    fake.clearFaults();
    if (hangs) {
      hungAnswers.cleared(fault);
    }
    Instant cleared = Instant.now();
    CompletableFuture.allOf(sources.stream()
        .map(source -> recoveries.watchRecovery(source, fault, cleared, Recoveries.Health.SEEN))
        .toArray(CompletableFuture[]::new)).join();
    episodes++;
  }

  int steps() {
    return steps.size();
  }

  int episodes() {
    return episodes;
  }
}

package io.migrationexporter.report;

import io.migrationexporter.event.Event;
import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepMeasure;
import io.migrationexporter.report.Night.AppDowntime;
import io.migrationexporter.report.Night.Blocker;
import io.migrationexporter.report.Night.CheckTimeline;
import io.migrationexporter.report.Night.Downtime;
import io.migrationexporter.report.Night.GateTimeline;
import io.migrationexporter.report.Night.GateWait;
import io.migrationexporter.report.Night.Incident;
import io.migrationexporter.report.Night.MigrationFacts;
import io.migrationexporter.report.Night.Period;
import io.migrationexporter.report.Night.PhasePeriod;
import io.migrationexporter.report.Night.StepFacts;
import io.migrationexporter.report.NightPlan.CheckInfo;
import io.migrationexporter.report.NightPlan.MigrationInfo;
import io.migrationexporter.report.NightPlan.StepInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the journal of a night into its {@link Night} facts. */
public final class NightAnalysis {
  private static final Pattern STEP = Pattern.compile("step (\\d+) of (\\d+): (.*)");
  private static final Pattern BY = Pattern.compile("\\(by (.*)\\)\\s*$");
  /** Migration states (the {@code migration} events) worth telling as an incident. */
  private static final Set<String> MIGRATION_INCIDENTS = Set.of("silent", "interrupted",
      "unknown");

  private final List<Event> events;
  private final NightPlan plan;
  private final Instant from;
  private final Instant to;
  private final List<PhasePeriod> phases;

  private NightAnalysis(List<Event> events, NightPlan plan, Instant from, Instant to) {
    this.events = events;
    this.plan = plan.completedBy(events);
    this.from = from;
    this.to = to;
    this.phases = phases();
  }

  /** The facts of the night the window's events tell. */
  public static Night analyse(Window window, NightPlan plan) {
    return new NightAnalysis(window.events(), plan, window.from(), window.to()).night();
  }

  private Night night() {
    List<CheckTimeline> checks = checks();
    List<GateTimeline> gates = gates();
    Optional<Instant> migrationStarted = Optional.empty();
    List<MigrationFacts> migrations = new ArrayList<>();
    for (MigrationInfo migration : plan.migrations().values()) {
      MigrationFacts facts = migration(migration);
      migrations.add(facts);
      if (facts.started().isPresent() && (migrationStarted.isEmpty()
          || facts.started().get().isBefore(migrationStarted.get()))) {
        migrationStarted = facts.started();
      }
    }
    Optional<Duration> gateToMigration = migrationStarted.flatMap(start -> lastOpening(gates,
        start).map(opened -> Duration.between(opened, start)));
    return new Night(from, to, phases, checks, gates, downtime(checks), gateWaits(gates, checks),
        migrationStarted, gateToMigration, migrations, incidents(),
        Night.Alerts.notRead(PrometheusAlerts.NOT_ASKED));
  }

  private List<PhasePeriod> phases() {
    List<PhasePeriod> out = new ArrayList<>();
    for (Event event : events) {
      if (!event.type().equals("phase") || event.to() == null) {
        continue;
      }
      PhasePeriod last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.phase().equals(event.to())) {
        continue; // a restart in the same phase
      }
      if (last != null) {
        out.set(out.size() - 1, new PhasePeriod(last.phase(), last.start(),
            Optional.of(event.at()), last.by()));
      }
      Matcher by = BY.matcher(event.message() == null ? "" : event.message());
      out.add(new PhasePeriod(event.to(), event.at(), Optional.empty(),
          by.find() ? by.group(1) : ""));
    }
    return out;
  }

  /** The phase at {@code at}, or null before the first phase event. */
  private PhasePeriod phaseAt(Instant at) {
    PhasePeriod current = null;
    for (PhasePeriod phase : phases) {
      if (!phase.start().isAfter(at)) {
        current = phase;
      }
    }
    return current;
  }

  /** A check's own states (ok, failing, unknown) from its events, the last one until the end. */
  private List<Period> rawPeriods(String type, String subject) {
    List<Period> out = new ArrayList<>();
    Event previous = null;
    for (Event event : events) {
      if (!event.type().equals(type) || !event.subject().equals(subject) || event.to() == null) {
        continue;
      }
      if (previous == null && event.from() != null && event.at().isAfter(from)) {
        out.add(new Period(event.from(), from, event.at(), ""));
      }
      if (previous != null) {
        out.add(new Period(previous.to(), previous.at(), event.at(), words(previous)));
      }
      previous = event;
    }
    if (previous != null) {
      out.add(new Period(previous.to(), previous.at(), to, words(previous)));
    }
    return out;
  }

  /** What a check said: its message after "NAME is STATE: ". */
  private static String words(Event event) {
    String message = event.message() == null ? "" : event.message();
    String prefix = event.subject() + " is " + event.to() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private List<CheckTimeline> checks() {
    List<CheckTimeline> out = new ArrayList<>();
    for (CheckInfo check : plan.checks().values()) {
      List<Period> raw = rawPeriods("check", check.name());
      if (raw.isEmpty()) {
        continue;
      }
      out.add(new CheckTimeline(check.name(), check.title(), check.app(), byPhase(raw, check)));
    }
    return out;
  }

  /**
   * Names each ok period closed or open as the phase in which it began expects: the observation
   * was judged then. When the phase changes the exporter judges it again at once, so an app still
   * serving in the first instant of a maintenance is never counted closed.
   */
  private List<Period> byPhase(List<Period> raw, CheckInfo check) {
    List<Period> out = new ArrayList<>();
    for (Period period : raw) {
      String state = period.state();
      PhasePeriod phase = phaseAt(period.start());
      if (state.equals("ok") && phase != null) {
        if (check.closedPhases().contains(phase.phase())) {
          state = "closed";
        } else if (check.openPhases().contains(phase.phase())) {
          state = "open";
        }
      }
      out.add(new Period(state, period.start(), period.end(), period.words()));
    }
    return out;
  }

  private List<GateTimeline> gates() {
    List<GateTimeline> out = new ArrayList<>();
    for (String gate : plan.gateChecks().keySet()) {
      List<Period> periods = rawPeriods("gate", gate);
      if (!periods.isEmpty()) {
        out.add(new GateTimeline(gate, periods));
      }
    }
    return out;
  }

  private Downtime downtime(List<CheckTimeline> checks) {
    Map<String, List<CheckTimeline>> byApp = new LinkedHashMap<>();
    checks.stream().filter(check -> !check.app().isEmpty()).forEach(check -> byApp
        .computeIfAbsent(check.app(), app -> new ArrayList<>()).add(check));
    List<AppDowntime> apps = new ArrayList<>();
    for (Map.Entry<String, List<CheckTimeline>> app : byApp.entrySet()) {
      Instant closed = null;
      Optional<Instant> reopened = Optional.empty();
      boolean stillClosed = false;
      for (CheckTimeline check : app.getValue()) {
        List<Period> periods = check.periods();
        int lastClosed = -1;
        for (int i = 0; i < periods.size(); i++) {
          if (periods.get(i).state().equals("closed")) {
            lastClosed = i;
            if (closed == null || periods.get(i).start().isBefore(closed)) {
              closed = periods.get(i).start();
            }
          }
        }
        if (lastClosed < 0) {
          continue;
        }
        Period last = periods.get(periods.size() - 1);
        // Open again for good: the last period is open, and began after the check was closed.
        int lastNotOpen = lastClosed;
        for (int i = lastClosed; i < periods.size(); i++) {
          if (!periods.get(i).state().equals("open")) {
            lastNotOpen = i;
          }
        }
        if (!last.state().equals("open") || lastNotOpen == periods.size() - 1) {
          stillClosed = true;
        } else {
          Instant back = periods.get(lastNotOpen + 1).start();
          if (reopened.isEmpty() || back.isAfter(reopened.get())) {
            reopened = Optional.of(back);
          }
        }
      }
      if (closed != null) {
        apps.add(new AppDowntime(app.getKey(), plan.appTitle(app.getKey()), closed,
            stillClosed ? Optional.empty() : reopened));
      }
    }
    Optional<Instant> first = apps.stream().map(AppDowntime::closed).min(Comparator.naturalOrder());
    boolean allBack = apps.stream().allMatch(app -> app.reopened().isPresent());
    Optional<Instant> last = allBack ? apps.stream().map(app -> app.reopened().get())
        .max(Comparator.naturalOrder()) : Optional.empty();
    return new Downtime(first, last, apps);
  }

  private List<GateWait> gateWaits(List<GateTimeline> gates, List<CheckTimeline> checks) {
    List<GateWait> out = new ArrayList<>();
    for (GateTimeline gate : gates) {
      List<Period> periods = gate.periods();
      for (int i = 1; i < periods.size(); i++) {
        Period closed = periods.get(i - 1);
        if (!closed.state().equals("closed") || !periods.get(i).state().equals("open")) {
          continue;
        }
        Instant opened = periods.get(i).start();
        PhasePeriod phase = phaseAt(opened);
        Instant start = phase == null || phase.start().isBefore(closed.start()) ? closed.start()
            : phase.start();
        if (start.isBefore(opened)) {
          out.add(new GateWait(gate.gate(), start, opened,
              blockers(plan.gateChecks().getOrDefault(gate.gate(), Set.of()), checks, start,
                  opened)));
        }
      }
    }
    return out;
  }

  /** The gate's checks that were failing or unknown during the wait, the longest first. */
  private static List<Blocker> blockers(Set<String> gateChecks, List<CheckTimeline> checks,
      Instant start, Instant end) {
    List<Blocker> out = new ArrayList<>();
    for (CheckTimeline check : checks) {
      if (!gateChecks.contains(check.check())) {
        continue;
      }
      Duration blocked = Duration.ZERO;
      String words = "";
      for (Period period : check.periods()) {
        if (period.state().equals("failing") || period.state().equals("unknown")) {
          Instant a = period.start().isAfter(start) ? period.start() : start;
          Instant b = period.end().isBefore(end) ? period.end() : end;
          if (a.isBefore(b)) {
            blocked = blocked.plus(Duration.between(a, b));
            words = period.words();
          }
        }
      }
      if (!blocked.isZero()) {
        out.add(new Blocker(check.check(), check.title(), blocked, words));
      }
    }
    out.sort(Comparator.comparing(Blocker::blocked).reversed());
    return out;
  }

  private static Optional<Instant> lastOpening(List<GateTimeline> gates, Instant before) {
    Optional<Instant> last = Optional.empty();
    for (GateTimeline gate : gates) {
      for (Period period : gate.periods()) {
        if (period.state().equals("open") && !period.start().isAfter(before)
            && (last.isEmpty() || period.start().isAfter(last.get()))) {
          last = Optional.of(period.start());
        }
      }
    }
    return last;
  }

  private MigrationFacts migration(MigrationInfo migration) {
    StepTracker tracker = new StepTracker(migration.steps());
    for (Event event : events) {
      if (!event.subject().equals(migration.name()) || event.to() == null) {
        continue;
      }
      if (event.type().equals("step")) {
        tracker.step(event.to(), event.at(), event.volume(), event.measure());
      } else if (event.type().equals("migration")) {
        tracker.state(event.to(), event.at());
      }
    }
    return tracker.facts(migration, to);
  }

  /**
   * Checks failing or unknown again after they were ok in the same phase, migrations gone silent,
   * interrupted or unknown, reloads refused.
   */
  private List<Incident> incidents() {
    List<Incident> out = new ArrayList<>();
    Map<String, Event> okSince = new LinkedHashMap<>();
    for (Event event : events) {
      if (event.to() == null) {
        continue;
      }
      switch (event.type()) {
        case "check" -> {
          Event ok = okSince.remove(event.subject());
          if (event.to().equals("ok")) {
            okSince.put(event.subject(), event);
          } else if (ok != null && phaseAt(ok.at()) == phaseAt(event.at())) {
            out.add(new Incident(event.at(), event.to().equals("unknown") ? "unknown again"
                : "failing again", event.subject(), words(event)));
          }
        }
        case "migration" -> {
          if (MIGRATION_INCIDENTS.contains(event.to())) {
            out.add(new Incident(event.at(), "migration " + event.to(), event.subject(),
                event.message() == null ? "" : event.message()));
          }
        }
        case "config" -> {
          if (event.to().equals("refused")) {
            out.add(new Incident(event.at(), "reload refused", event.subject(),
                event.message() == null ? "" : event.message()));
          }
        }
        default -> { }
      }
    }
    return out;
  }

  /** Follows one migration's step events. */
  private static final class StepTracker {
    private final List<StepInfo> planned;
    private final Map<Integer, Step> steps = new LinkedHashMap<>();
    private int total;
    private int current;
    private Instant unknownSince;
    private Instant waitingSince;
    private Instant started;
    private Instant done;

    private static final class Step {
      String title = "";
      Instant started;
      Instant ended;
      String status = "not reached";
      int runs;
      final List<Instant> interruptions = new ArrayList<>();
      Duration unknown = Duration.ZERO;
      Duration lockWaits = Duration.ZERO;
      /** The table's size at the step's last start, if the source read it. */
      Optional<RelationVolume> volume = Optional.empty();
      /** What the source measured of its last run, told by the event that left it. */
      Optional<StepMeasure> measure = Optional.empty();
    }

    StepTracker(List<StepInfo> planned) {
      this.planned = planned;
      this.total = planned.size();
    }

    private Step step(int number) {
      return steps.computeIfAbsent(number, n -> new Step());
    }

    void step(String to, Instant at, Optional<RelationVolume> volume,
        Optional<StepMeasure> measure) {
      if (measure.isPresent() && current > 0) {
        step(current).measure = measure;
      }
      if (unknownSince != null) {
        if (current > 0) {
          Step step = step(current);
          step.unknown = step.unknown.plus(Duration.between(unknownSince, at));
        }
        unknownSince = null;
      }
      Matcher matcher = STEP.matcher(to);
      if (matcher.matches()) {
        int number = Integer.parseInt(matcher.group(1));
        total = Math.max(total, Integer.parseInt(matcher.group(2)));
        step(number).title = matcher.group(3);
        enter(number, at);
        volume.ifPresent(read -> step(number).volume = Optional.of(read));
      } else if (to.equals("done")) {
        finishUpTo(total, at);
        done = at;
      } else if (to.equals("not started") && current > 0
          && step(current).status.equals("running")) {
        interrupted(at);
      } else if (to.equals("unknown")) {
        unknownSince = at;
      }
    }

    private void enter(int number, Instant at) {
      if (number == current && step(number).status.equals("running")) {
        return; // the same step, seen again after the source could not tell
      }
      if (started == null) {
        started = at;
      }
      finishUpTo(number - 1, at);
      Step step = step(number);
      step.runs++;
      if (step.started == null) {
        step.started = at;
      }
      step.ended = null;
      step.status = "running";
      current = number;
    }

    /** Steps before {@code last} are over: the running one done at {@code at}, unseen ones skipped. */
    private void finishUpTo(int last, Instant at) {
      for (int number = 1; number <= last; number++) {
        Step step = step(number);
        switch (step.status) {
          case "running" -> {
            step.status = "done";
            step.ended = at;
          }
          // Seen gone, then a later step came: it had finished; its end is when it was last seen.
          case "interrupted" -> step.status = "done";
          case "not reached" -> step.status = "skipped";
          default -> { }
        }
      }
    }

    /** A {@code migration} event: waiting on a lock, interrupted, or any other state. */
    void state(String state, Instant at) {
      if (waitingSince != null && current > 0) {
        Step step = step(current);
        step.lockWaits = step.lockWaits.plus(Duration.between(waitingSince, at));
      }
      waitingSince = state.equals("waiting") ? at : null;
      if (state.equals("interrupted")) {
        interrupted(at);
      }
    }

    void interrupted(Instant at) {
      if (current > 0 && step(current).status.equals("running")) {
        Step step = step(current);
        step.status = "interrupted";
        step.interruptions.add(at);
        step.ended = at;
      }
    }

    MigrationFacts facts(MigrationInfo migration, Instant end) {
      if (unknownSince != null && current > 0) {
        step(current).unknown = step(current).unknown.plus(Duration.between(unknownSince, end));
      }
      if (waitingSince != null && current > 0) {
        step(current).lockWaits = step(current).lockWaits.plus(Duration.between(waitingSince, end));
      }
      List<StepFacts> out = new ArrayList<>();
      for (int number = 1; number <= total; number++) {
        Step step = step(number);
        Optional<StepInfo> info = number <= planned.size() ? Optional.of(planned.get(number - 1))
            : Optional.empty();
        String title = info.map(StepInfo::title).orElse(step.title);
        boolean timed = step.started != null && step.ended != null
            && !step.status.equals("skipped");
        Optional<StepDefinition> definition = info.map(StepInfo::definition);
        out.add(new StepFacts(number, info.map(StepInfo::name).orElse(""), title,
            definition.flatMap(d -> d.expectedOn(step.volume)),
            Optional.ofNullable(step.started), Optional.ofNullable(step.ended),
            timed ? Optional.of(Duration.between(step.started, step.ended)) : Optional.empty(),
            step.status, step.runs, List.copyOf(step.interruptions), step.lockWaits,
            step.unknown, step.volume, step.measure,
            definition.flatMap(d -> d.scaledWords(step.volume))));
      }
      return new MigrationFacts(migration.name(), migration.title(), Optional.ofNullable(started),
          Optional.ofNullable(done), out);
    }
  }
}

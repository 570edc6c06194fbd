package io.migrationexporter.source.scalingo;

import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.source.saas.Answer;
import io.migrationexporter.source.saas.SaasApi;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The containers of one Scalingo app: what runs ({@code /ps}), one-off containers apart since the
 * migration itself runs in one, and the desired formation ({@code /containers}). Its observation
 * {@value #OBSERVATION} is closed when no container other than one-off (and ignored types) is left.
 * Only containers that run or are starting count: {@code /ps} may still list stopped, crashed and
 * deleted ones, which would otherwise keep a scaled-down app from ever looking closed.
 */
final class ScalingoAppSource implements Source {
  static final String OBSERVATION = "containers";
  static final String ONE_OFF = "one-off";
  static final String CONTAINERS_UNIT = "containers";

  static final MetricDef CONTAINERS = MetricDef.gauge("migration_scalingo_containers",
      "Containers of a Scalingo app by process type (one-off included), running or starting:"
          + " stopped, crashed and deleted ones are left out.",
      "account", "app", "type");
  static final MetricDef FORMATION = MetricDef.gauge("migration_scalingo_formation_containers",
      "Desired number of containers of a Scalingo app by process type (its formation).",
      "account", "app", "type");
  static final MetricDef ONE_OFF_STARTED = MetricDef.gauge(
      "migration_scalingo_oneoff_started_timestamp_seconds",
      "When each one-off container of a Scalingo app was started.", "account", "app", "label");
  static final MetricDef APP_FOUND = MetricDef.gauge("migration_scalingo_app_found",
      "1 when Scalingo knows the app, 0 when it answered 404 for it.", "account", "app");

  /**
   * How the app is judged.
   *
   * @param ignoredTypes process types that never count (beside one-off)
   * @param ignoredStates container states that never count (containers no longer running)
   * @param openMinimum running containers each type needs to count as open; when empty, one
   *     running container of any counted type is enough
   */
  record AppSettings(String app, Set<String> ignoredTypes, Set<String> ignoredStates,
      Map<String, Integer> openMinimum) {
    AppSettings {
      ignoredTypes = Set.copyOf(ignoredTypes);
      ignoredStates = Set.copyOf(ignoredStates);
      openMinimum = Map.copyOf(openMinimum);
    }
  }

  record Definition(ScalingoAccount.Settings account, AppSettings app) implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      return new ScalingoAppSource(ScalingoAccount.shared(account, definition, shared), app);
    }

    @Override
    public String describe(SourceDefinition definition) {
      return "Scalingo app " + app.app() + ": GET /ps and /containers, " + account.describe()
          + (app.ignoredTypes().isEmpty() ? ""
              : ", ignores types " + new TreeSet<>(app.ignoredTypes()))
          + (app.ignoredStates().isEmpty() ? ""
              : ", ignores states " + new TreeSet<>(app.ignoredStates()))
          + (app.openMinimum().isEmpty() ? ", open with one running container"
              : ", open with at least " + new TreeMap<>(app.openMinimum()) + " running");
    }
  }

  private final ScalingoAccount account;
  private final AppSettings app;

  ScalingoAppSource(ScalingoAccount account, AppSettings app) {
    this.account = account;
    this.app = app;
  }

  static String id(String account, String app) {
    return "scalingo:" + account + "/" + app;
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    CompletableFuture<Answer> ps = account.get(account.appUrl(app.app(), "ps"), context);
    CompletableFuture<Answer> formation = account.get(account.appUrl(app.app(), "containers"), context);
    return ps.thenCombine(formation, this::reading);
  }

  private Reading reading(Answer psAnswer, Answer formationAnswer) {
    String name = account.settings().name();
    Reading.Builder reading = Reading.builder();
    if (psAnswer.status() == 404) {
      return reading.sample(APP_FOUND, 0, name, app.app())
          .observation(OBSERVATION, Observation.neither("App " + app.app()
              + " not found on Scalingo (HTTP 404)"))
          .build();
    }
    List<ScalingoJson.Container> containers = psAnswer.json(ScalingoJson.PsAnswer.class).containers();
    List<ScalingoJson.Formation> formation =
        formationAnswer.json(ScalingoJson.FormationAnswer.class).containers();
    if (containers == null || formation == null) {
      throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "Scalingo answered without a containers list for app " + app.app());
    }
    reading.sample(APP_FOUND, 1, name, app.app());
    Map<String, Integer> byType = new TreeMap<>();
    Map<String, Integer> runningByType = new TreeMap<>();
    int oneOff = 0;
    for (ScalingoJson.Container container : containers) {
      if (!isLive(container)) {
        continue;
      }
      String type = container.type() == null ? "unknown" : container.type();
      byType.merge(type, 1, Integer::sum);
      if (ONE_OFF.equals(type)) {
        oneOff++;
        startedAt(container).ifPresent(at -> reading.sample(ONE_OFF_STARTED, at, name, app.app(),
            container.label() == null ? "unknown" : container.label()));
      } else if ("running".equals(container.state())) {
        runningByType.merge(type, 1, Integer::sum);
      }
    }
    byType.forEach((type, count) -> reading.sample(CONTAINERS, count, name, app.app(), type));
    for (ScalingoJson.Formation process : formation) {
      if (process.name() != null && process.amount() != null) {
        reading.sample(FORMATION, process.amount(), name, app.app(), process.name());
      }
    }
    return reading.observation(OBSERVATION, observe(byType, runningByType, oneOff)).build();
  }

  /**
   * The observation, with the count of the containers that count (running or starting, one-off and
   * ignored types left out): the number the check wants at 0 while the app is closed.
   */
  private Observation observe(Map<String, Integer> byType, Map<String, Integer> runningByType,
      int oneOff) {
    int counted = 0;
    int running = 0;
    for (Map.Entry<String, Integer> entry : byType.entrySet()) {
      if (counts(entry.getKey())) {
        counted += entry.getValue();
        running += runningByType.getOrDefault(entry.getKey(), 0);
      }
    }
    return words(counted, running, runningByType, oneOff).counting(counted, CONTAINERS_UNIT);
  }

  private Observation words(int counted, int running, Map<String, Integer> runningByType,
      int oneOff) {
    String oneOffWords = oneOff == 0 ? "" : ", " + oneOff + " one-off";
    if (counted == 0) {
      return Observation.closed("Down" + oneOffWords);
    }
    List<String> missing = new ArrayList<>();
    app.openMinimum().forEach((type, minimum) -> {
      int have = runningByType.getOrDefault(type, 0);
      if (have < minimum) {
        missing.add(type + " " + have + " of " + minimum);
      }
    });
    if (running > 0 && missing.isEmpty()) {
      return Observation.open("Running (" + running + ")" + oneOffWords);
    }
    if (running == 0) {
      return Observation.neither(counted + " container(s), none running yet" + oneOffWords);
    }
    missing.sort(null);
    return Observation.neither("Running (" + running + "), below the minimum: "
        + String.join(", ", missing) + oneOffWords);
  }

  /** Deleted containers and those in an ignored state (stopped, crashed) are gone for the check. */
  private boolean isLive(ScalingoJson.Container container) {
    return container.deletedAt() == null
        && (container.state() == null || !app.ignoredStates().contains(container.state()));
  }

  private boolean counts(String type) {
    return !ONE_OFF.equals(type) && !app.ignoredTypes().contains(type);
  }

  private static Optional<Double> startedAt(ScalingoJson.Container container) {
    if (container.createdAt() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          OffsetDateTime.parse(container.createdAt()).toInstant().toEpochMilli() / 1e3);
    } catch (DateTimeParseException | ArithmeticException e) {
      // unreadable, or beyond what epoch milliseconds hold (year one billion): no start time
      return Optional.empty();
    }
  }
}

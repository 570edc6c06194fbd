package io.migrationexporter.source.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.config.PlanBuilder.DeclaredMigration;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.source.saas.SaasApi;
import io.migrationexporter.source.saas.SaasHttp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Follows migrations through their log lines in Datadog. Each refresh searches an explicit time
 * window (never the API's 15-minute default) for the step lines, newest first and page by page,
 * and a shorter window for heartbeat lines; each step has a start pattern and an optional done
 * pattern. The current step is derived per host (one migration container per host) from the
 * latest recognised line, and remembered between refreshes: a rewrite that logs nothing but
 * heartbeats for hours, or a window that slid past the step's start, keeps its step.
 */
final class DatadogLogsSource implements Source {
  static final String PATH = "api/v2/logs/events/search";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Heartbeat lines are only needed for their newest time per host. */
  static final int HEARTBEAT_LIMIT = 100;

  static final MetricDef HOST_HEARTBEAT = MetricDef.gauge(
      "migration_datadog_host_heartbeat_timestamp_seconds",
      "Newest heartbeat line seen from each host (migration container) in Datadog logs.",
      "account", "logs", "host");
  static final MetricDef HOST_STEP = MetricDef.gauge("migration_datadog_host_step",
      "Step of the migration on each host as people count: 1 to n, n once done.",
      "account", "logs", "migration", "host");
  static final MetricDef HOST_STEP_STARTED = MetricDef.gauge(
      "migration_datadog_host_step_started_timestamp_seconds",
      "When the current step of the migration started on each host.",
      "account", "logs", "migration", "host");
  static final MetricDef LINES = MetricDef.gauge("migration_datadog_log_lines",
      "Step lines read from Datadog at the last refresh (the newest, within the window).",
      "account", "logs");

  /** How one step is recognised: a line matching {@code start}, and later one matching {@code done}. */
  record StepMatcher(String start, Optional<String> done) {}

  /**
   * @param query the Datadog query selecting the step lines
   * @param heartbeatQuery the query selecting heartbeat lines; when empty, heartbeats are looked
   *     for among the step lines
   * @param heartbeat the pattern of a heartbeat line, if the migration logs one
   * @param host only hosts matching this pattern count (a migration bound to its container)
   * @param messageField {@code message}, or the path of a custom attribute holding the text
   */
  record Settings(String name, String query, Optional<String> heartbeatQuery,
      Optional<String> heartbeat, Optional<String> host, Duration window,
      Duration heartbeatWindow, String messageField, int pageSize, int maxPages) {}

  record Definition(DatadogAccount account, Settings settings,
      List<DeclaredMigration<StepMatcher>> declared) implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      return new DatadogLogsSource(account, settings, declared, account.calls().api(
          SaasHttp.shared(shared), "Datadog", definition.schedule().minInterval()));
    }

    @Override
    public String describe(SourceDefinition definition) {
      return "Datadog logs '" + settings.query() + "' over the last "
          + Durations.format(settings.window())
          + settings.heartbeatQuery().map(q -> ", heartbeats '" + q + "' over the last "
              + Durations.format(settings.heartbeatWindow())).orElse("")
          + settings.heartbeat().map(p -> ", heartbeat /" + p + "/").orElse("")
          + settings.host().map(p -> ", hosts /" + p + "/").orElse("")
          + ", migrations " + declared.stream().map(m -> m.definition().name()).toList()
          + ", " + account.describe();
    }
  }

  /** Where a migration stands on one host, as of its latest recognised line. */
  record HostState(int step, boolean done, Instant stepStartedAt, Instant lastLineAt) {}

  private record Line(Instant at, String host, String message) {}

  private record Followed(MigrationDefinition definition, List<Pattern> starts,
      List<Optional<Pattern>> dones) {}

  private final DatadogAccount account;
  private final Settings settings;
  private final List<DeclaredMigration<StepMatcher>> declared;
  private final SaasApi api;
  private final Optional<Pattern> heartbeat;
  private final Optional<Pattern> host;
  private final List<Followed> followed = new ArrayList<>();
  /** Per migration, per host: the state that survives quiet periods. */
  private final Map<String, Map<String, HostState>> remembered = new HashMap<>();
  private final Map<String, Instant> heartbeats = new TreeMap<>();

  DatadogLogsSource(DatadogAccount account, Settings settings,
      List<DeclaredMigration<StepMatcher>> declared, SaasApi api) {
    this.account = account;
    this.settings = settings;
    this.declared = List.copyOf(declared);
    this.api = api;
    this.heartbeat = settings.heartbeat().map(Pattern::compile);
    this.host = settings.host().map(Pattern::compile);
    for (DeclaredMigration<StepMatcher> migration : declared) {
      followed.add(new Followed(migration.definition(),
          migration.matchers().stream().map(m -> Pattern.compile(m.start())).toList(),
          migration.matchers().stream().map(m -> m.done().map(Pattern::compile)).toList()));
    }
  }

  static String id(String account, String name) {
    return "datadog-logs:" + account + "/" + name;
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    Instant now = context.clock().instant();
    CompletableFuture<List<Line>> steps = search(settings.query(), now.minus(settings.window()),
        now, settings.pageSize(), settings.maxPages(), context);
    CompletableFuture<List<Line>> beats = settings.heartbeatQuery()
        .map(query -> search(query, now.minus(settings.heartbeatWindow()), now, HEARTBEAT_LIMIT, 1,
            context))
        .orElse(CompletableFuture.completedFuture(List.of()));
    return steps.thenCombine(beats, this::reading);
  }

  /** Newest lines first, following the cursor for at most {@code maxPages} pages. */
  private CompletableFuture<List<Line>> search(String query, Instant from, Instant to, int limit,
      int maxPages, RefreshContext context) {
    return page(query, from, to, limit, null, maxPages, new ArrayList<>(), context);
  }

  private CompletableFuture<List<Line>> page(String query, Instant from, Instant to, int limit,
      String cursor, int pagesLeft, List<Line> collected, RefreshContext context) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode filter = body.putObject("filter");
    filter.put("query", query);
    filter.put("from", from.toString());
    filter.put("to", to.toString());
    body.put("sort", "-timestamp");
    ObjectNode page = body.putObject("page");
    page.put("limit", limit);
    if (cursor != null) {
      page.put("cursor", cursor);
    }
    return api.send(account.post(PATH, body.toString()), context).thenCompose(answer -> {
      DatadogJson.LogPage logs = answer.json(DatadogJson.LogPage.class);
      if (logs.data() == null) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "Datadog answered without a data list");
      }
      for (DatadogJson.Log log : logs.data()) {
        line(log).ifPresent(collected::add);
      }
      String next = logs.meta() == null || logs.meta().page() == null ? null
          : logs.meta().page().after();
      if (next == null || next.isEmpty() || logs.data().isEmpty() || pagesLeft <= 1) {
        return CompletableFuture.completedFuture(collected);
      }
      return page(query, from, to, limit, next, pagesLeft - 1, collected, context);
    });
  }

  private Optional<Line> line(DatadogJson.Log log) {
    DatadogJson.LogAttributes attributes = log.attributes();
    if (attributes == null || attributes.timestamp() == null) {
      throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "Datadog listed a log without timestamp");
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(attributes.timestamp()).toInstant();
      // Times are exposed in epoch milliseconds: refuse one beyond them (year one billion).
      at.toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "Datadog listed a log with an unreadable timestamp");
    }
    String text = message(attributes);
    String hostName = attributes.host() == null ? "unknown" : attributes.host();
    if (text == null || host.isPresent() && !host.get().matcher(hostName).find()) {
      return Optional.empty();
    }
    return Optional.of(new Line(at, hostName, text));
  }

  private String message(DatadogJson.LogAttributes attributes) {
    if (settings.messageField().equals("message")) {
      return attributes.message();
    }
    JsonNode node = attributes.attributes();
    for (String part : settings.messageField().split("\\.")) {
      node = node == null ? null : node.get(part);
    }
    return node == null || node.isNull() ? null : node.asText();
  }

  private synchronized Reading reading(List<Line> stepLines, List<Line> beatLines) {
    List<Line> steps = new ArrayList<>();
    for (Line line : stepLines) {
      if (isHeartbeat(line)) {
        heartbeats.merge(line.host(), line.at(), DatadogLogsSource::later);
      } else {
        steps.add(line);
      }
    }
    for (Line line : beatLines) {
      if (heartbeat.isEmpty() || isHeartbeat(line)) {
        heartbeats.merge(line.host(), line.at(), DatadogLogsSource::later);
      }
    }
    steps.sort(Comparator.comparing(Line::at));
    String accountName = account.name();
    Reading.Builder reading = Reading.builder()
        .sample(LINES, stepLines.size(), accountName, settings.name());
    heartbeats.forEach((hostName, at) -> reading.sample(HOST_HEARTBEAT, seconds(at), accountName,
        settings.name(), hostName));
    for (Followed migration : followed) {
      String name = migration.definition().name();
      Map<String, HostState> states = remembered.computeIfAbsent(name, n -> new TreeMap<>());
      derive(migration, steps).forEach((hostName, derived) -> states.merge(hostName, derived,
          (kept, fresh) -> fresh.lastLineAt().isBefore(kept.lastLineAt()) ? kept : fresh));
      int total = migration.definition().steps().size();
      states.forEach((hostName, state) -> {
        reading.sample(HOST_STEP, state.done() ? total : state.step() + 1, accountName,
            settings.name(), name, hostName);
        reading.sample(HOST_STEP_STARTED, seconds(state.stepStartedAt()), accountName,
            settings.name(), name, hostName);
      });
      reading.migration(name, progress(states));
    }
    return reading.build();
  }

  private boolean isHeartbeat(Line line) {
    return heartbeat.isPresent() && heartbeat.get().matcher(line.message()).find();
  }

  /** Each host's state from the lines of this window, oldest line first. */
  private static Map<String, HostState> derive(Followed migration, List<Line> lines) {
    Map<String, HostState> states = new HashMap<>();
    int last = migration.starts().size() - 1;
    for (Line line : lines) {
      for (int i = 0; i <= last; i++) {
        Optional<Pattern> done = migration.dones().get(i);
        if (done.isPresent() && done.get().matcher(line.message()).find()) {
          HostState before = states.get(line.host());
          Instant started = before != null && before.step() == i ? before.stepStartedAt() : line.at();
          // A finished step that is not the last means the next one has begun.
          states.put(line.host(), i == last
              ? new HostState(i, true, started, line.at())
              : new HostState(i + 1, false, line.at(), line.at()));
          break;
        }
        if (migration.starts().get(i).matcher(line.message()).find()) {
          states.put(line.host(), new HostState(i, false, line.at(), line.at()));
          break;
        }
      }
    }
    return states;
  }

  /** The migration's progress on the host with the newest recognised line. */
  private StepProgress progress(Map<String, HostState> states) {
    Optional<Map.Entry<String, HostState>> newest = states.entrySet().stream()
        .max(Comparator.comparing(entry -> entry.getValue().lastLineAt()));
    if (newest.isEmpty()) {
      Optional<Instant> beat = heartbeats.values().stream().max(Comparator.naturalOrder());
      return beat.map(StepProgress.notStarted()::withHeartbeat).orElse(StepProgress.notStarted());
    }
    String hostName = newest.get().getKey();
    HostState state = newest.get().getValue();
    String detail = "on host " + hostName + (states.size() > 1 ? " (" + states.size()
        + " hosts logged steps)" : "");
    return new StepProgress(state.step(), state.done(), Optional.of(state.stepStartedAt()),
        OptionalDouble.empty(), Optional.empty(), Optional.ofNullable(heartbeats.get(hostName)),
        detail);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static double seconds(Instant at) {
    return at.toEpochMilli() / 1e3;
  }
}

package io.migrationexporter.source.datadog;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import io.migrationexporter.config.PlanBuilder;
import io.migrationexporter.config.SourceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code sources.datadog.<account> { site, api-key, application-key, logs { ... }, metrics { ... } }}:
 * one source per log follower ({@code datadog-logs:<account>/<name>}, with its migrations) and
 * one per metric query ({@code datadog-metric:<account>/<name>}).
 */
public final class DatadogSourceKind implements SourceKind {
  static final Duration LOGS_INTERVAL = Duration.ofSeconds(30);
  static final Duration METRIC_INTERVAL = Duration.ofSeconds(60);
  static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
  /**
   * Far longer than a migration's silent-after (5 min) and the MigrationSilent alert (6 min): a
   * restarted exporter still finds the heartbeat of a migration silent for a while, with its age.
   */
  static final Duration DEFAULT_HEARTBEAT_WINDOW = Duration.ofMinutes(30);
  static final Duration DEFAULT_METRIC_WINDOW = Duration.ofMinutes(10);
  /** The log search API's largest page. */
  static final int MAX_PAGE_SIZE = 1000;

  @Override
  public String name() {
    return "datadog";
  }

  @Override
  public List<MetricDef> families() {
    return List.of(DatadogLogsSource.HOST_HEARTBEAT, DatadogLogsSource.HOST_STEP,
        DatadogLogsSource.HOST_STEP_STARTED, DatadogLogsSource.LINES, DatadogMetricSource.VALUE,
        DatadogMetricSource.POINT_AT, DatadogMetricSource.SERIES);
  }

  @Override
  public void declare(String accountName, ConfigNode node, PlanBuilder plan) {
    DatadogAccount account = DatadogAccount.read(accountName, node);
    Map<String, ConfigNode> logs = node.children("logs");
    Map<String, ConfigNode> metrics = node.children("metrics");
    if (logs.isEmpty() && metrics.isEmpty()) {
      throw node.failHere("declare what to read: logs { <name> { query, migrations { ... } } }"
          + " or metrics { <name> { query } }");
    }
    logs.forEach((name, logsNode) -> node.problems().attempt(() -> {
      declareLogs(account, name, logsNode, plan);
      logsNode.finish();
    }));
    metrics.forEach((name, metricNode) -> node.problems().attempt(() -> {
      String query = metricNode.string("query");
      Duration window = metricNode.duration("window", DEFAULT_METRIC_WINDOW);
      SourceSchedule schedule = plan.schedule(metricNode, METRIC_INTERVAL,
          account.calls().refreshTimeout(1));
      metricNode.finish();
      plan.addSource(new SourceDefinition(DatadogMetricSource.id(account.name(), name), schedule,
          new DatadogMetricSource.Definition(account,
              new DatadogMetricSource.Settings(name, query, window))), node, "metrics");
    }));
  }

  private static void declareLogs(DatadogAccount account, String name, ConfigNode node,
      PlanBuilder plan) {
    String query = node.string("query");
    Optional<String> heartbeatQuery = node.optString("heartbeat-query");
    Optional<String> heartbeat = node.optRegex("heartbeat").map(Pattern::pattern);
    Optional<String> host = node.optRegex("host").map(Pattern::pattern);
    Duration window = node.duration("window", DEFAULT_WINDOW);
    Duration heartbeatWindow = node.duration("heartbeat-window", DEFAULT_HEARTBEAT_WINDOW);
    String messageField = node.string("message-field", "message");
    int pageSize = node.integer("page-size", 1, MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    int maxPages = node.integer("max-pages", 1, 100, 10);
    int callsInSeries = maxPages + 1;
    SourceSchedule schedule = plan.schedule(node, LOGS_INTERVAL,
        account.calls().refreshTimeout(callsInSeries));
    if (!node.has("migrations")) {
      throw node.fail("migrations", "declare the migrations these logs follow: migrations {"
          + " <name> { steps = [ { name, start, done } ] } }");
    }
    String id = DatadogLogsSource.id(account.name(), name);
    List<PlanBuilder.DeclaredMigration<DatadogLogsSource.StepMatcher>> migrations =
        plan.migrations(node, id, (migration, step, index) -> new DatadogLogsSource.StepMatcher(
            step.regex("start").pattern(), step.optRegex("done").map(Pattern::pattern)));
    if (migrations.isEmpty()) {
      return;
    }
    plan.addSource(new SourceDefinition(id, schedule, new DatadogLogsSource.Definition(account,
        new DatadogLogsSource.Settings(name, query, heartbeatQuery, heartbeat, host, window,
            heartbeatWindow, messageField, pageSize, maxPages), migrations)), node, "query");
  }

  @Override
  public KindExample example(ExampleTarget target) {
    return KindExample.api("""
        sources.datadog.example {
          url = "%s", api-key = "%s", application-key = "%s", timeout = %s
          logs.steps {
            query = "service:example", interval = %s
            migrations.example.steps = [ { name = copy, start = "copy started" } ]
          }
          metrics.cpu { query = "avg:postgresql.cpu{app:example}", interval = %s }
        }
        """.formatted(target.url(), target.secret("datadog-api-key"),
        target.secret("datadog-application-key"), target.timeout(), target.interval(),
        target.interval()));
  }
}

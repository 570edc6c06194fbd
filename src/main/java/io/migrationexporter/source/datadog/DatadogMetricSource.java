package io.migrationexporter.source.datadog;

import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.source.saas.SaasApi;
import io.migrationexporter.source.saas.SaasHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A Datadog metric query ({@code GET /api/v1/query}) whose last point becomes a gauge, for teams
 * whose figures (database CPU, queue depth) live in Datadog. A query without data exposes no value
 * rather than a zero.
 */
final class DatadogMetricSource implements Source {
  static final MetricDef VALUE = MetricDef.gauge("migration_datadog_metric_value",
      "Last point of a Datadog metric query, per series (scope).", "account", "metric", "scope");
  static final MetricDef POINT_AT = MetricDef.gauge("migration_datadog_metric_timestamp_seconds",
      "Time of the last point of a Datadog metric query, per series (scope).",
      "account", "metric", "scope");
  static final MetricDef SERIES = MetricDef.gauge("migration_datadog_metric_series",
      "Series the Datadog metric query returned; 0 means no data in the window.",
      "account", "metric");

  record Settings(String name, String query, Duration window) {}

  record Definition(DatadogAccount account, Settings settings) implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      return new DatadogMetricSource(account, settings, account.calls().api(
          SaasHttp.shared(shared), "Datadog", definition.schedule().minInterval()));
    }

    @Override
    public String describe(SourceDefinition definition) {
      return "Datadog metric query '" + settings.query() + "' over the last "
          + Durations.format(settings.window()) + ", " + account.describe();
    }
  }

  private final DatadogAccount account;
  private final Settings settings;
  private final SaasApi api;

  DatadogMetricSource(DatadogAccount account, Settings settings, SaasApi api) {
    this.account = account;
    this.settings = settings;
    this.api = api;
  }

  static String id(String account, String name) {
    return "datadog-metric:" + account + "/" + name;
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    Instant now = context.clock().instant();
    var url = account.url().newBuilder().addPathSegments("api/v1/query")
        .addQueryParameter("from", Long.toString(now.minus(settings.window()).getEpochSecond()))
        .addQueryParameter("to", Long.toString(now.getEpochSecond()))
        .addQueryParameter("query", settings.query())
        .build();
    return api.send(account.request(url).build(), context).thenApply(answer -> {
      DatadogJson.QueryAnswer result = answer.json(DatadogJson.QueryAnswer.class);
      if (!"ok".equals(result.status()) || result.series() == null) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "Datadog did not run the metric query "
            + settings.name() + " (status " + (result.status() == null ? "missing" : "not ok") + ")");
      }
      Reading.Builder reading = Reading.builder()
          .sample(SERIES, result.series().size(), account.name(), settings.name());
      for (DatadogJson.Series series : result.series()) {
        String scope = series.scope() == null ? "" : series.scope();
        List<List<Double>> points = series.pointlist() == null ? List.of() : series.pointlist();
        for (int i = points.size() - 1; i >= 0; i--) {
          List<Double> point = points.get(i);
          if (point != null && point.size() >= 2 && point.get(0) != null && point.get(1) != null) {
            reading.sample(VALUE, point.get(1), account.name(), settings.name(), scope);
            reading.sample(POINT_AT, point.get(0) / 1e3, account.name(), settings.name(), scope);
            break;
          }
        }
      }
      return reading.build();
    });
  }
}

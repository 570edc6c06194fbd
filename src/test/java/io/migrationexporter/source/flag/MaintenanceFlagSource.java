package io.migrationexporter.source.flag;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.config.Secret;
import io.migrationexporter.source.saas.SaasApi;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** One maintenance flag: a GET of its page per refresh, through the shared SaaS HTTP stack. */
final class MaintenanceFlagSource implements Source {
  static final String OBSERVATION = "flag";
  static final MetricDef MAINTENANCE = MetricDef.gauge("migration_maintenance_flag",
      "1 while the status page of a maintenance-flag check says maintenance, 0 otherwise.",
      "check");

  /** What the page says; any other field is ignored. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Page(Boolean maintenance) {}

  private final String check;
  private final HttpUrl url;
  private final Secret token;
  private final SourceSchedule schedule;
  private final SaasApi api;

  MaintenanceFlagSource(String check, HttpUrl url, Secret token, SourceSchedule schedule,
      SaasApi api) {
    this.check = check;
    this.url = url;
    this.token = token;
    this.schedule = schedule;
    this.api = api;
  }

  @Override
  public String id() {
    return "maintenance-flag:" + check;
  }

  @Override
  public SourceSchedule schedule() {
    return schedule;
  }

  @Override
  public Object definition() {
    return List.of(check, url, token, schedule, api);
  }

  @Override
  public String describe() {
    return "GET " + url + " with token " + token.origin() + ", timeout " + api.timeout().toMillis()
        + "ms";
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    Request request = new Request.Builder().url(url)
        .header("Authorization", "Bearer " + token.reveal())
        .header("Accept", "application/json")
        .build();
    return api.send(request, context).thenApply(answer -> {
      Boolean maintenance = answer.json(Page.class).maintenance();
      if (maintenance == null) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "the status page says nothing of maintenance");
      }
      return Reading.builder()
          .sample(MAINTENANCE, maintenance ? 1 : 0, check)
          .observation(OBSERVATION, maintenance ? Observation.closed("Maintenance on")
              : Observation.open("No maintenance"))
          .build();
    });
  }
}

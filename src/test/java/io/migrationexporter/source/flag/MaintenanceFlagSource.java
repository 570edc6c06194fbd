package io.migrationexporter.source.flag;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.config.Secret;
import io.migrationexporter.source.saas.CallSettings;
import io.migrationexporter.source.saas.SaasApi;
import io.migrationexporter.source.saas.SaasHttp;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** One maintenance flag: a GET of its page per refresh, through the shared SaaS HTTP stack. */
final class MaintenanceFlagSource implements Source {
  static final String OBSERVATION = "flag";
  static final MetricDef MAINTENANCE = MetricDef.gauge("migration_maintenance_flag",
      "1 while the status page of a maintenance-flag check says maintenance, 0 otherwise.",
      "check");

  /** What the kind parsed: plain data, and the way to create the source from it. */
  record Settings(String check, HttpUrl url, Secret token, CallSettings calls)
      implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      return new MaintenanceFlagSource(this, calls.api(SaasHttp.shared(shared), "The status page",
          definition.schedule().minInterval()));
    }

    @Override
    public String describe(SourceDefinition definition) {
      return "GET " + url + " with token " + token.origin() + ", " + calls;
    }
  }

  /** What the page says; any other field is ignored. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Page(Boolean maintenance) {}

  private final Settings settings;
  private final SaasApi api;

  private MaintenanceFlagSource(Settings settings, SaasApi api) {
    this.settings = settings;
    this.api = api;
  }

  static String id(String check) {
    return "maintenance-flag:" + check;
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    Request request = new Request.Builder().url(settings.url())
        .header("Authorization", "Bearer " + settings.token().reveal())
        .header("Accept", "application/json")
        .build();
    return api.send(request, context).thenApply(answer -> {
      Boolean maintenance = answer.json(Page.class).maintenance();
      if (maintenance == null) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "the status page says nothing of maintenance");
      }
      return Reading.builder()
          .sample(MAINTENANCE, maintenance ? 1 : 0, settings.check())
          .observation(OBSERVATION, maintenance ? Observation.closed("Maintenance on")
              : Observation.open("No maintenance"))
          .build();
    });
  }
}

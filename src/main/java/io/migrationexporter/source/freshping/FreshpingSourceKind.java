package io.migrationexporter.source.freshping;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import io.migrationexporter.config.PlanBuilder;
import io.migrationexporter.config.Secret;
import io.migrationexporter.config.SourceKind;
import io.migrationexporter.source.saas.CallSettings;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;

/** {@code sources.freshping.<account> { api-key, subdomain }}: one source per account. */
public final class FreshpingSourceKind implements SourceKind {
  /** One list call a minute: 60 of the 100 calls an hour the smallest plan allows. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
  static final String DEFAULT_URL = "https://api.freshping.io/api/v1/";
  private static final int CALLS_IN_SERIES = 2;

  @Override
  public String name() {
    return "freshping";
  }

  @Override
  public List<MetricDef> families() {
    return List.of(FreshpingSource.CHECKS, FreshpingSource.CHECK_PAUSED,
        FreshpingSource.CHECK_STATUS);
  }

  @Override
  public void declare(String account, ConfigNode node, PlanBuilder plan) {
    Secret apiKey = node.secret("api-key").orElseThrow(() -> node.fail("api-key",
        "missing: set api-key = ${?FRESHPING_API_KEY} or api-key-file = /path/to/file"));
    String subdomain = node.string("subdomain");
    if (!subdomain.matches("[A-Za-z0-9-]+")) {
      throw node.fail("subdomain", "expected the account's sub-domain, such as 'acme' for"
          + " acme.freshping.io");
    }
    String url = node.has("url") ? node.url("url").toString() : DEFAULT_URL;
    HttpUrl base = HttpUrl.get(url.endsWith("/") ? url : url + "/");
    CallSettings calls = CallSettings.read(node);
    SourceSchedule schedule = plan.schedule(node, DEFAULT_INTERVAL,
        calls.refreshTimeout(CALLS_IN_SERIES));
    plan.addSource(new SourceDefinition(FreshpingSource.id(account), schedule,
        new FreshpingSource.Settings(account, apiKey, subdomain, base, calls)), node, "api-key");
  }

  @Override
  public KindExample example(ExampleTarget target) {
    return KindExample.api("""
        sources.freshping.example {
          api-key = "%s", subdomain = example, url = "%s/api/v1/"
          interval = %s, timeout = %s
        }
        """.formatted(target.secret("freshping-api-key"), target.url(), target.interval(),
        target.timeout()));
  }
}

package io.migrationexporter.source.flag;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import io.migrationexporter.config.Secret;
import io.migrationexporter.source.saas.CallSettings;
import io.migrationexporter.source.saas.NoDefaults;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * The example kind of docs/architecture.md, all a new kind is: {@code maintenance-flag { url,
 * token }} reads a status page's JSON ({@code {"maintenance": true}}) and is closed while it says
 * maintenance. This package, one line in a loader's list of kinds (here the contract test's;
 * {@code app/Modules} for a real kind) and a row in docs/configuration.md and docs/metrics.md
 * each: the contract every kind passes then covers it.
 */
public final class MaintenanceFlagCheckKind implements NoDefaults.SourceCheckKind {
  /** The page is cheap to read: twice a minute. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  @Override
  public String name() {
    return "maintenance-flag";
  }

  @Override
  public List<MetricDef> families() {
    return List.of(MaintenanceFlagSource.MAINTENANCE);
  }

  @Override
  public KindExample example(ExampleTarget target) {
    return KindExample.api("""
        checks.example {
          interval = %s
          maintenance-flag { url = "%s/maintenance.json", token = "%s", timeout = %s }
        }
        """.formatted(target.interval(), target.url(), target.secret("flag-token"),
        target.timeout()));
  }

  @Override
  public Binding bind(CheckContext<NoDefaults> check) {
    ConfigNode block = check.block();
    HttpUrl url = HttpUrl.get(block.url("url").toString());
    Secret token = block.secret("token").orElseThrow(() -> block.fail("token",
        "missing: set token = ${?STATUS_PAGE_TOKEN} or token-file = /path/to/file"));
    CallSettings calls = CallSettings.read(block);
    SourceSchedule schedule = check.plan().schedule(check.node(), DEFAULT_INTERVAL,
        calls.refreshTimeout(1));
    SourceDefinition source = new SourceDefinition(MaintenanceFlagSource.id(check.checkName()),
        schedule, new MaintenanceFlagSource.Settings(check.checkName(), url, token, calls));
    check.plan().addSource(source, block, "url");
    return new Binding(source.id(), MaintenanceFlagSource.OBSERVATION);
  }
}

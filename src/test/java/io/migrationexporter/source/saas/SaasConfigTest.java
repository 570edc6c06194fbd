package io.migrationexporter.source.saas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationexporter.app.Modules;
import io.migrationexporter.testing.ExampleConfigs;
import io.migrationexporter.config.Plan;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaasConfigTest {
  @TempDir
  Path dir;

  @Test
  void thePixExampleDeclaresEverySaasCard() throws Exception {
    Path config = ExampleConfigs.pixWithCredentials(dir);
    Plan plan = Modules.loader().load(config);
    assertThat(plan.checks()).extracting(c -> c.name()).contains("uptime-monitoring",
        "api-containers", "metabase-containers", "datawarehouse-containers",
        "datawarehouse-ex-containers", "database-backups");
    assertThat(plan.migrations()).extracting(m -> m.name())
        .contains("bigint-main", "bigint-datawarehouse", "bigint-container");
    assertThat(plan.sources()).extracting(s -> s.id()).contains(
        "scalingo:pix/pix-api-production", "scalingo-database:pix/pix-api-production",
        "freshping:pix", "datadog-logs:pix/migration-container");
    assertThat(plan.sources().stream().map(s -> s.describe()).toList().toString())
        .contains("https://api.osc-secnum-fr1.scalingo.com/", "https://api.datadoghq.eu/")
        .doesNotContain(ExampleConfigs.SCALINGO_TOKEN, ExampleConfigs.FRESHPING_KEY,
            ExampleConfigs.DATADOG_API_KEY, ExampleConfigs.DATADOG_APP_KEY);
  }

  @Test
  void badSettingsAreOneLineNamingTheKey() throws Exception {
    assertThat(TestExporter.refusal(dir, """
        sources.scalingo.pix { token = "tk-us-123456", region = osc-fr2, apps { a {} } }
        """)).contains("exporter.conf:1: sources.scalingo.pix.region: unknown region 'osc-fr2',"
            + " expected osc-fr1 or osc-secnum-fr1");
    assertThat(TestExporter.refusal(dir, """
        sources.scalingo.pix { region = osc-fr1, apps { a {} } }
        """)).contains("sources.scalingo.pix.token: missing: set token = ${?SCALINGO_TOKEN}");
    assertThat(TestExporter.refusal(dir, """
        sources.scalingo.pix { token = "tk-us-123456", region = osc-fr1, apps { a {} } }
        checks.c { scalingo-backups { account = pix, app = a } }
        """)).contains("checks.c.scalingo-backups.app: no app 'a' with a database { } block under"
            + " sources.scalingo.pix.apps");
    assertThat(TestExporter.refusal(dir, """
        sources.freshping.pix { api-key = "key-123456", subdomain = pix }
        checks.c { freshping { account = pix, check = "A", all = true } }
        """)).contains("checks.c.freshping: select exactly one of");
    assertThat(TestExporter.refusal(dir, """
        sources.datadog.pix { site = mars, api-key = "key-123456", application-key = "key-654321",
          metrics { m { query = "avg:x{*}" } } }
        """)).contains("sources.datadog.pix.site: unknown site 'mars'");
    assertThatThrownBy(() -> Modules.loader().load(TestExporter.writeConfig(dir, """
        sources.datadog.pix { site = eu, api-key = "key-123456", application-key = "key-654321",
          logs { l { query = q, windw = 1h, migrations { m { steps = [ { name = s, start = x } ] } } } } }
        """))).hasMessageContaining("sources.datadog.pix.logs.l.windw: unknown key (did you mean 'window'?)");
  }
}

package io.migrationexporter.soak;

import io.migrationexporter.demo.fakes.FakeDatadog;
import io.migrationexporter.demo.fakes.FakeFreshping;
import io.migrationexporter.demo.fakes.FakeScalingo;
import io.migrationexporter.source.postgres.PgTestServer;
import io.migrationexporter.testing.LoopbackTarget;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Everything the soak's exporter watches, all on 127.0.0.1: flapping apps and a 50 MB answer on
 * one loopback target, a listening port for the TCP check, the three SaaS fakes and a real
 * PostgreSQL; and the exporter's configuration over them.
 */
final class SoakWorld implements AutoCloseable {
  static final int FLAPPING_APPS = 4;
  static final String HUGE_PATH = "/huge";
  /** What the 50 MB target sends: more than any probe may read. */
  static final long HUGE_BYTES = 50_000_000;
  static final String ADMIN_TOKEN = "soak-admin-token-0001";
  static final String SCALINGO_TOKEN = "tk-us-soak-token-0001";
  static final String FRESHPING_KEY = "soak-freshping-key-0001";
  static final String DATADOG_API_KEY = "soak-dd-api-key-0001";
  static final String DATADOG_APP_KEY = "soak-dd-app-key-0001";
  static final String SCALINGO_APP = "shop-api";
  static final String DATABASE = "soak";

  static final String SCALINGO_APP_SOURCE = "scalingo:soak/" + SCALINGO_APP;
  static final String SCALINGO_DATABASE_SOURCE = "scalingo-database:soak/" + SCALINGO_APP;
  static final String FRESHPING_SOURCE = "freshping:soak";
  static final String DATADOG_LOGS_SOURCE = "datadog-logs:soak/migration";
  static final String DATADOG_METRIC_SOURCE = "datadog-metric:soak/connections";
  static final String POSTGRES_SOURCE = "postgres:main";
  /** The check a valid reload adds and the next one removes again. */
  static final String EXTRA_CHECK = "reload-extra";

  final LoopbackTarget apps;
  final FakeScalingo scalingo;
  final FakeFreshping freshping;
  final FakeDatadog datadog;
  final PgTestServer postgres;

  private SoakWorld(LoopbackTarget apps, FakeScalingo scalingo, FakeFreshping freshping,
      FakeDatadog datadog, PgTestServer postgres) {
    this.apps = apps;
    this.scalingo = scalingo;
    this.freshping = freshping;
    this.datadog = datadog;
    this.postgres = postgres;
  }

  static SoakWorld start() throws IOException {
    LoopbackTarget apps = LoopbackTarget.start();
    apps.answer(HUGE_PATH, LoopbackTarget.Answer.status(200).filler(HUGE_BYTES));
    apps.answer("/steady", LoopbackTarget.Answer.status(200).body("ok"));
    FakeScalingo scalingo = new FakeScalingo(Clock.systemUTC()).acceptToken(SCALINGO_TOKEN);
    scalingo.app(SCALINGO_APP).scale("web", 2).database("pg-addon-1").connections(12);
    scalingo.slowDelay(FaultCycle.SLOW_ANSWER);
    scalingo.start();
    FakeFreshping freshping = new FakeFreshping(FRESHPING_KEY, "soak")
        .check(101, "Shop", "AV").check(102, "Shop API", "AV");
    freshping.slowDelay(FaultCycle.SLOW_ANSWER);
    freshping.start();
    FakeDatadog datadog = new FakeDatadog(DATADOG_API_KEY, DATADOG_APP_KEY);
    datadog.log(Instant.now().minusSeconds(60), "shop-one-off-1", "shop-api",
        "Altering answers.id type to BIGINT - In progress");
    datadog.slowDelay(FaultCycle.SLOW_ANSWER);
    datadog.start();
    PgTestServer postgres = PgTestServer.start();
    postgres.createDatabase(DATABASE);
    return new SoakWorld(apps, scalingo, freshping, datadog, postgres);
  }

  static String flappingPath(int app) {
    return "/app-" + app;
  }

  static String flappingCheck(int app) {
    return "flap-" + app;
  }

  static List<String> flappingChecks() {
    return IntStream.rangeClosed(1, FLAPPING_APPS).mapToObj(SoakWorld::flappingCheck).toList();
  }

  /** The exporter's configuration; {@code extraCheck} adds a check, for reloads that change it. */
  String config(boolean extraCheck) {
    StringBuilder checks = new StringBuilder();
    for (int app = 1; app <= FLAPPING_APPS; app++) {
      checks.append("""
            %s { app = shop, interval = 1s, http { url = "%s", timeout = 1s } }
          """.formatted(flappingCheck(app), apps.url(flappingPath(app))));
    }
    if (extraCheck) {
      checks.append("""
            %s { interval = 1s, http { url = "%s", timeout = 1s } }
          """.formatted(EXTRA_CHECK, apps.url("/steady")));
    }
    return """
        server.request-budget = 1s
        server.admin-token = "%s"
        apps { shop { title = "Shop" } }
        checks {
        %s
          huge-body { title = "50 MB answer, body read", interval = 1s
            http { url = "%s", open-body-regex = "^ok", body-limit = 1MiB, timeout = 2s } }
          huge-status { title = "50 MB answer, status only", interval = 1s
            http { url = "%s", timeout = 2s } }
          shop-port { interval = 1s, tcp { address = "127.0.0.1:%d", timeout = 1s } }
          shop-containers { app = shop, scalingo-containers { account = soak, app = %s } }
          shop-backups { scalingo-backups { account = soak, app = %s } }
          monitoring { freshping { account = soak, all = true } }
        }
        sources.scalingo.soak {
          token = "%s"
          api-url = "%s"
          db-api-url = "%s"
          auth-url = "%s"
          interval = 1s
          timeout = 1s
          apps { %s { database {} } }
        }
        sources.freshping.soak {
          api-key = "%s"
          subdomain = soak
          url = "%s"
          interval = 1s
          timeout = 1s
        }
        sources.datadog.soak {
          url = "%s"
          api-key = "%s"
          application-key = "%s"
          timeout = 1s
          logs.migration {
            query = "service:shop-api \\"type to BIGINT\\""
            window = 1h
            max-pages = 2
            interval = 1s
            migrations.answers-bigint {
              title = "answers.id to bigint"
              steps = [ { name = answers-id, expected-duration = 2h,
                start = "answers\\\\.id type to BIGINT - In progress",
                done = "answers\\\\.id type to BIGINT - Done" } ]
            }
          }
          metrics.connections { query = "avg:postgresql.connections{app:shop-api}", interval = 1s }
        }
        sources.postgres.main {
          url = "%s"
          user = %s
          password = "%s"
          interval = 1s
          connect-timeout = 1s
        }
        """.formatted(ADMIN_TOKEN, checks, apps.url(HUGE_PATH), apps.url(HUGE_PATH), apps.port(),
        SCALINGO_APP, SCALINGO_APP, SCALINGO_TOKEN, scalingo.url(), scalingo.url(), scalingo.url(),
        SCALINGO_APP, FRESHPING_KEY, freshping.apiUrl(), datadog.url(), DATADOG_API_KEY,
        DATADOG_APP_KEY, postgres.url(DATABASE), PgTestServer.EXPORTER_USER,
        PgTestServer.EXPORTER_PASSWORD);
  }

  @Override
  public void close() {
    try (apps; scalingo; freshping; datadog; postgres) {
      // each is closed, in reverse order, even when one fails to
    }
  }
}

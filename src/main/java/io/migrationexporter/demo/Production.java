package io.migrationexporter.demo;

import io.migrationexporter.demo.SaasPlatforms.HostedApp;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The simulated production of the story, shaped after Pix's in July 2022: three web front-ends, an
 * API gateway path, a data warehouse hosted elsewhere (a bare port), three apps on Scalingo
 * (the API and the data warehouse with their PostgreSQL databases, and Metabase), four uptime
 * checks, and the database sessions of the API, the data warehouse's ETL and Metabase. It also
 * says what the team does to close each of them, and when.
 */
final class Production {
  static final String API_APP = "pix-api-production";
  static final String WAREHOUSE_APP = "pix-datawarehouse-production";
  static final String METABASE_APP = "pix-metabase-production";
  static final List<HostedApp> HOSTED = List.of(
      new HostedApp(API_APP, Map.of("web", 2, "worker", 1), true),
      new HostedApp(WAREHOUSE_APP, Map.of("web", 1), true),
      new HostedApp(METABASE_APP, Map.of("web", 1), false));
  static final List<String> MONITORED_SITES = List.of("Pix App", "Pix Orga", "Pix Admin",
      "Pix API");
  /** When the team remembers Metabase, at speed 1: long after everything else is closed. */
  static final Duration FORGOTTEN_FOR = Duration.ofSeconds(75);

  final SimulatedApp pixApp;
  final SimulatedApp pixOrga;
  final SimulatedApp pixAdmin;
  final SimulatedApp gateway;
  final SimulatedPort warehousePort;
  final AppTraffic api;
  final AppTraffic etl;
  final AppTraffic metabase;

  /** Starts the web apps and the port; each part is stopped by {@code teardown}. */
  Production(DemoDatabase main, DemoDatabase warehouse, Narrator narrator, Teardown teardown) {
    pixApp = teardown.add(new SimulatedApp("Pix App", 503));
    pixOrga = teardown.add(new SimulatedApp("Pix Orga", 503));
    pixAdmin = teardown.add(new SimulatedApp("Pix Admin", 503));
    gateway = teardown.add(new SimulatedApp("API gateway /api/users", 404));
    warehousePort = teardown.add(new SimulatedPort("data warehouse"));
    api = teardown.add(new AppTraffic("pix-api", main, 3, narrator));
    etl = teardown.add(new AppTraffic("pix-datawarehouse-etl", warehouse, 2, narrator));
    metabase = teardown.add(new AppTraffic("metabase", warehouse, 2, narrator));
  }

  /** The apps open their database sessions, as they do all day. */
  void startTraffic() throws SQLException {
    for (AppTraffic traffic : List.of(api, etl, metabase)) {
      traffic.start();
    }
  }

  /** What the team does to close the production, in order; Metabase is forgotten for a while. */
  List<Team.Chore> chores(SaasPlatforms saas) {
    return List.of(
        new Team.Chore("Freshping", seconds(3), "uptime checks paused",
            () -> saas.monitoring(false), "uptime checks monitoring again",
            () -> saas.monitoring(true)),
        front(pixApp, seconds(6)),
        front(pixOrga, seconds(8)),
        front(pixAdmin, seconds(10)),
        new Team.Chore(gateway.name(), seconds(12), "route closed (404)",
            () -> gateway.setClosed(true), "route open again", () -> gateway.setClosed(false)),
        new Team.Chore(API_APP, seconds(15),
            "containers stopped, the API's database sessions closed",
            () -> {
              saas.scaleDown(API_APP);
              api.stop();
            },
            "containers running, the API's database sessions open again",
            () -> {
              saas.scaleUp(API_APP);
              api.start();
            }),
        new Team.Chore(WAREHOUSE_APP, seconds(18), "containers stopped, the ETL's sessions closed",
            () -> {
              saas.scaleDown(WAREHOUSE_APP);
              etl.stop();
            },
            "containers running, the ETL's sessions open again",
            () -> {
              saas.scaleUp(WAREHOUSE_APP);
              etl.start();
            }),
        new Team.Chore("data warehouse port", seconds(20), "closed (connections refused)",
            () -> warehousePort.setClosed(true), "accepting connections again",
            () -> warehousePort.setClosed(false)),
        new Team.Chore("Scalingo databases", seconds(22), "periodic backups disabled",
            () -> saas.backups(false), "periodic backups enabled again",
            () -> saas.backups(true)),
        new Team.Chore(METABASE_APP, FORGOTTEN_FOR,
            "forgotten until the board showed it: stopped at last, its sessions closed",
            () -> {
              saas.scaleDown(METABASE_APP);
              metabase.stop();
            },
            "containers running, its sessions open again",
            () -> {
              saas.scaleUp(METABASE_APP);
              metabase.start();
            }));
  }

  private static Team.Chore front(SimulatedApp app, Duration after) {
    return new Team.Chore(app.name(), after, "maintenance page on (503)",
        () -> app.setClosed(true), "back in service (200)", () -> app.setClosed(false));
  }

  private static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}

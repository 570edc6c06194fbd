package io.migrationexporter.source.scalingo;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code sources.scalingo.<account> { token, region, apps { <app> { ... } } }}: one source per app
 * ({@code scalingo:<account>/<app>}, its containers) and one per app database add-on
 * ({@code scalingo-database:<account>/<app>}), all sharing the account's JWT.
 */
public final class ScalingoSourceKind implements SourceKind {
  /** Scalingo documents rate limits without figures: poll no faster than this by default. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  /** Container states {@code /ps} may list that no longer run, left out unless set otherwise. */
  static final List<String> DEFAULT_IGNORED_STATES = List.of("stopped", "crashed");
  /** Exchange, re-exchange after a 401 and the call again, each at most one call timeout. */
  private static final int CALLS_IN_SERIES = 5;

  @Override
  public String name() {
    return "scalingo";
  }

  @Override
  public List<MetricDef> families() {
    return List.of(ScalingoAppSource.APP_FOUND, ScalingoAppSource.CONTAINERS,
        ScalingoAppSource.FORMATION, ScalingoAppSource.ONE_OFF_STARTED,
        ScalingoDatabaseSource.BACKUPS_ENABLED, ScalingoDatabaseSource.CONNECTIONS,
        ScalingoDatabaseSource.CPU, ScalingoDatabaseSource.MEMORY,
        ScalingoDatabaseSource.MEMORY_MAX, ScalingoDatabaseSource.DATA_SIZE);
  }

  @Override
  public void declare(String accountName, ConfigNode node, PlanBuilder plan) {
    Secret token = node.secret("token").orElseThrow(() -> node.fail("token",
        "missing: set token = ${?SCALINGO_TOKEN} or token-file = /path/to/file"));
    ScalingoEndpoints endpoints = ScalingoEndpoints.read(node);
    CallSettings calls = CallSettings.read(node);
    SourceSchedule schedule = plan.schedule(node, DEFAULT_INTERVAL,
        calls.refreshTimeout(CALLS_IN_SERIES));
    ScalingoAccount.Settings account = new ScalingoAccount.Settings(accountName, token,
        endpoints, calls);
    Map<String, ConfigNode> apps = node.children("apps");
    if (apps.isEmpty()) {
      throw node.fail("apps", "declare at least one app: apps { my-app {} }");
    }
    apps.forEach((app, appNode) -> node.problems().attempt(() -> {
      plan.addSource(new SourceDefinition(ScalingoAppSource.id(accountName, app), schedule,
          new ScalingoAppSource.Definition(account, appSettings(app, appNode))), node, "apps");
      appNode.optChild("database").ifPresent(databaseNode -> {
        if (endpoints.databaseApi().isEmpty()) {
          throw node.fail("db-api-url", "needed by " + databaseNode.path()
              + " since api-url replaces the region");
        }
        Optional<String> addon = databaseNode.optString("addon");
        String provider = databaseNode.string("provider", "postgresql");
        databaseNode.finish();
        plan.addSource(new SourceDefinition(ScalingoDatabaseSource.id(accountName, app), schedule,
            new ScalingoDatabaseSource.Definition(account,
                new ScalingoDatabaseSource.DatabaseSettings(app, addon, provider))),
            appNode, "database");
      });
      appNode.finish();
    }));
  }

  private static ScalingoAppSource.AppSettings appSettings(String app, ConfigNode node) {
    Set<String> ignored = Set.copyOf(node.optStringList("ignore-types").orElse(List.of()));
    Set<String> ignoredStates =
        Set.copyOf(node.optStringList("ignore-states").orElse(DEFAULT_IGNORED_STATES));
    if (ignoredStates.contains("running")) {
      throw node.fail("ignore-states", "running containers always count, remove 'running'");
    }
    if (ignored.contains(ScalingoAppSource.ONE_OFF)) {
      throw node.fail("ignore-types", "one-off containers are always apart, no need to list them");
    }
    Map<String, Integer> minimum = new LinkedHashMap<>();
    node.stringMap("open-minimum").forEach((type, value) -> {
      try {
        int count = Integer.parseInt(value);
        if (count < 1) {
          throw node.fail("open-minimum", "the minimum of " + type + " must be at least 1");
        }
        minimum.put(type, count);
      } catch (NumberFormatException e) {
        throw node.fail("open-minimum", "the minimum of " + type + " must be a whole number, got '"
            + value + "'");
      }
    });
    return new ScalingoAppSource.AppSettings(app, ignored, ignoredStates, minimum);
  }

  @Override
  public KindExample example(ExampleTarget target) {
    return KindExample.api("""
        sources.scalingo.example {
          token = "tk-us-%s", api-url = "%s", db-api-url = "%s", auth-url = "%s"
          interval = %s, timeout = %s
          apps { example-app { database {} } }
        }
        """.formatted(target.secret("scalingo-token"), target.url(), target.url(), target.url(),
        target.interval(), target.timeout()));
  }
}

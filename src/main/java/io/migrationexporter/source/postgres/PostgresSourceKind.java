package io.migrationexporter.source.postgres;

import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.config.CheckKeys;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import io.migrationexporter.config.PlanBuilder;
import io.migrationexporter.config.Secret;
import io.migrationexporter.config.SourceKind;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.RelationVolume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;

/**
 * {@code sources.postgres.<name> { url, user, password ... }}: one database, its implied
 * {@code <name>-connections} check, the checks of its queries and the migrations it follows.
 */
public final class PostgresSourceKind implements SourceKind {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration LOCK_TIMEOUT = Duration.ofMillis(100);
  /** The TLS mode when a password is set and neither tls.mode nor the URL chooses one. */
  static final String DEFAULT_TLS_WITH_PASSWORD = "require";
  private static final List<String> TLS_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  /**
   * The connections check has an opinion only while the apps must be gone: after the reopening,
   * apps that have not connected yet (idle at night, lazy pools) are no red cross on the board.
   */
  private static final Set<String> CONNECTIONS_OPEN_PHASES = Set.of();

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public List<MetricDef> families() {
    return List.of(ConnectionReport.CONNECTIONS, ConnectionReport.OTHER_CONNECTIONS,
        ConnectionReport.UNEXPECTED_CONNECTIONS, ConnectionReport.MIGRATION_CONNECTIONS,
        MigrationSessionReport.SESSIONS, MigrationSessionReport.STATEMENT_START,
        MigrationSessionReport.PARALLEL_WORKERS, LockReport.BLOCKED, LockReport.BLOCKED_BY,
        LockReport.LONGEST_WAIT, LockReport.OLDEST_TRANSACTION, ProgressQuery.RATIO,
        ProgressQuery.DONE, ProgressQuery.TOTAL, ProgressQuery.AVAILABLE,
        DatabaseStatsQuery.TRANSACTIONS, DatabaseStatsQuery.TUPLES, DatabaseStatsQuery.BLOCKS,
        DatabaseStatsQuery.TEMP_BYTES, DatabaseStatsQuery.DEADLOCKS, DatabaseStatsQuery.WAL_BYTES,
        DatabaseStatsQuery.IO_BYTES, CustomQuery.VALUE, CustomQuery.SUCCESS,
        PostgresSource.REWRITE_WRITTEN, PostgresSource.REWRITE_EXPECTED,
        PostgresSource.EXPORTER_SESSIONS);
  }

  @Override
  public void declare(String name, ConfigNode node, PlanBuilder plan) {
    String id = PostgresSource.id(name);
    // Each part reports its own problems, so that one bad key does not hide the others.
    Optional<Target> target = node.problems().attempt(() -> target(node));
    Optional<ConnectionSettings> connection = node.problems().attempt(() ->
        connection(node, target));
    Optional<MigrationSessions> sessions = node.problems().attempt(() -> sessions(node));
    List<CustomQuery> queries = queries(name, id, node, plan);
    List<MigrationWatch> migrations = migrations(id, node, plan);
    // Read every key even when a part is invalid, so that none is reported unknown by mistake.
    Optional<SourceSchedule> schedule = node.problems().attempt(() ->
        plan.schedule(node, refreshTimeout(connection)));
    node.problems().attempt(() -> connectionsCheck(name, id, node, plan));
    if (target.isEmpty() || connection.isEmpty() || sessions.isEmpty() || schedule.isEmpty()) {
      return;
    }
    plan.addSource(new SourceDefinition(id, schedule.get(), new PostgresDefinition(name,
        connection.get(), sessions.get(), queries, migrations)), node, "url");
  }

  /** Connect, then two statements at most; the default settings when they are invalid. */
  private static Duration refreshTimeout(Optional<ConnectionSettings> connection) {
    return connection.map(settings -> settings.connectTimeout()
        .plus(settings.statementTimeout().multipliedBy(2)).plusSeconds(1))
        .orElse(Duration.ofSeconds(8));
  }

  /**
   * The URL, and the words that name its server in messages.
   *
   * @param setsTls the URL chooses TLS itself ({@code sslmode} or {@code ssl})
   */
  private record Target(String url, String words, String database, boolean setsTls) {}

  private static Target target(ConfigNode node) {
    String url = node.string("url");
    // The URL is never repeated in a message: it could carry a password by mistake.
    Properties parsed = url.startsWith("jdbc:postgresql:") ? Driver.parseURL(url, null) : null;
    if (parsed == null) {
      throw node.fail("url", "expected a PostgreSQL JDBC URL such as"
          + " jdbc:postgresql://db.internal:5432/app");
    }
    for (String forbidden : List.of("password", "user", "sslpassword")) {
      if (parsed.containsKey(forbidden)) {
        throw node.fail("url", "the URL sets '" + forbidden + "': use the keys user and password"
            + " (or password-file) instead");
      }
    }
    String host = parsed.getProperty("PGHOST", "localhost");
    String port = parsed.getProperty("PGPORT", "5432");
    String database = parsed.getProperty("PGDBNAME", "");
    if (database.isEmpty()) {
      throw node.fail("url", "the URL names no database (jdbc:postgresql://host:5432/DATABASE)");
    }
    return new Target(url, host.replace(',', ' ') + ":" + port.replace(',', ' ') + "/" + database,
        database, parsed.containsKey("sslmode") || parsed.containsKey("ssl"));
  }

  /** Reads every connection key; {@code target} is empty when the URL was refused. */
  private static ConnectionSettings connection(ConfigNode node, Optional<Target> parsed) {
    String user = node.string("user");
    Optional<Secret> password = node.secret("password");
    Optional<ConnectionSettings.TlsSettings> tls = node.optChild("tls").map(block -> {
      ConnectionSettings.TlsSettings settings = new ConnectionSettings.TlsSettings(
          block.choice("mode", TLS_MODES),
          block.has("root-cert") ? Optional.of(block.readableFile("root-cert").toString())
              : Optional.empty(),
          block.has("cert") ? Optional.of(block.readableFile("cert").toString()) : Optional.empty(),
          block.has("key") ? Optional.of(block.readableFile("key").toString()) : Optional.empty());
      block.finish();
      return settings;
    });
    Duration connectTimeout = node.duration("connect-timeout", CONNECT_TIMEOUT);
    Duration statementTimeout = node.duration("statement-timeout", STATEMENT_TIMEOUT);
    Duration lockTimeout = node.duration("lock-timeout", LOCK_TIMEOUT);
    int maxConnections = node.integer("max-connections", 1, 2, 2);
    if (lockTimeout.compareTo(statementTimeout) >= 0) {
      throw node.fail("lock-timeout", "must be shorter than statement-timeout ("
          + statementTimeout.toMillis() + "ms)");
    }
    if (parsed.isEmpty()) {
      return null; // the URL's problem is recorded
    }
    Target target = parsed.get();
    if (tls.isEmpty() && password.isPresent() && !target.setsTls()) {
      // The driver's default, prefer, sends the password in clear to a server (or a machine in
      // the middle) that declines TLS; lib/pq, under postgres_exporter, defaults to require.
      tls = Optional.of(new ConnectionSettings.TlsSettings(DEFAULT_TLS_WITH_PASSWORD,
          Optional.empty(), Optional.empty(), Optional.empty()));
    }
    return new ConnectionSettings(target.url(), target.words(), target.database(), user, password,
        tls, connectTimeout, statementTimeout, lockTimeout, maxConnections);
  }

  private static MigrationSessions sessions(ConfigNode node) {
    if (!node.has("migration-sessions")) {
      return new MigrationSessions(List.of(), List.of());
    }
    ConfigNode block = node.child("migration-sessions");
    MigrationSessions sessions = new MigrationSessions(
        block.optStringList("application-names").orElse(List.of()),
        block.optStringList("users").orElse(List.of()));
    block.finish();
    return sessions;
  }

  private static List<CustomQuery> queries(String name, String id, ConfigNode node,
      PlanBuilder plan) {
    List<CustomQuery> queries = new ArrayList<>();
    for (Map.Entry<String, ConfigNode> entry : node.children("queries").entrySet()) {
      node.problems().attempt(() -> {
        ConfigNode query = entry.getValue();
        String sql = query.string("sql");
        Optional<ConfigNode> check = query.optChild("check");
        CustomQuery parsed = new CustomQuery(entry.getKey(), sql,
            check.flatMap(block -> condition(block, "closed-when")),
            check.flatMap(block -> condition(block, "open-when")));
        check.ifPresent(block -> {
          if (!parsed.hasCheck()) {
            throw block.failHere("a query's check needs closed-when, open-when or both");
          }
          String checkName = name + "-" + entry.getKey();
          plan.addImpliedCheck(checkDefinition(block, checkName, checkName, "maintenance", id,
              parsed.observationKey(), plan.defaultOpenPhases(), plan));
          block.finish();
        });
        query.finish();
        queries.add(parsed);
      });
    }
    return queries;
  }

  private static Optional<Condition> condition(ConfigNode block, String key) {
    return block.optString(key).map(text -> Condition.parse(text).orElseThrow(() ->
        block.fail(key, "expected a comparison such as \"== 0\" or \"> 10\", got '" + text + "'")));
  }

  private static void connectionsCheck(String name, String id, ConfigNode node, PlanBuilder plan) {
    if (node.has("connections-check")) {
      ConfigNode block = node.child("connections-check");
      if (block.bool("enabled", true)) {
        plan.addImpliedCheck(checkDefinition(block, name + "-connections",
            connectionsTitle(name), "connections", id, ConnectionReport.OBSERVATION,
            CONNECTIONS_OPEN_PHASES, plan));
      }
      block.finish();
      return;
    }
    plan.addImpliedCheck(new CheckDefinition(name + "-connections",
        connectionsTitle(name), "connections", "", "postgres", id,
        ConnectionReport.OBSERVATION, plan.defaultClosedPhases(), CONNECTIONS_OPEN_PHASES));
  }

  private static String connectionsTitle(String name) {
    return "Connections to " + name;
  }

  /**
   * A check a source declares, with the keys every such block takes. It names no app: the apps
   * are checked by the loader for the checks of {@code checks} only.
   */
  private static CheckDefinition checkDefinition(ConfigNode block, String defaultName,
      String defaultTitle, String defaultGroup, String sourceId, String observationKey,
      Set<String> defaultOpenPhases, PlanBuilder plan) {
    String checkName = block.string("name", defaultName);
    return CheckKeys.read(block, defaultTitle, defaultGroup, plan.defaultClosedPhases(),
        defaultOpenPhases, plan.phases()).definition(checkName, "", "postgres", sourceId,
            observationKey);
  }

  private static List<MigrationWatch> migrations(String id, ConfigNode node, PlanBuilder plan) {
    Map<String, Optional<String>> progressQueries = new HashMap<>();
    Map<String, Optional<String>> doneQueries = new HashMap<>();
    List<PlanBuilder.DeclaredMigration<MigrationWatch.Step>> declared = plan.migrations(node, id,
        (migration, block) -> {
          progressQueries.put(migration, block.optString("progress-query"));
          doneQueries.put(migration, block.optString("done-query"));
        },
        (migration, step, index) -> {
          Optional<String> regex = step.optRegex("query-regex").map(pattern -> pattern.pattern());
          if (regex.isEmpty() && progressQueries.get(migration).isEmpty()) {
            throw step.fail("query-regex", "missing: a step is recognised by query-regex, unless"
                + " its migration has a progress-query");
          }
          return new MigrationWatch.Step(regex, step.optString("done-when"));
        });
    List<MigrationWatch> watches = new ArrayList<>();
    for (PlanBuilder.DeclaredMigration<MigrationWatch.Step> migration : declared) {
      MigrationDefinition definition = migration.definition();
      watches.add(new MigrationWatch(definition.name(),
          definition.steps().stream().map(step -> step.name()).toList(),
          migration.matchers().stream().map(MigrationWatch.Step::regex).toList(),
          progressQueries.get(definition.name()), doneQueries.get(definition.name()),
          migration.matchers().stream().map(MigrationWatch.Step::doneWhen).toList(),
          definition.steps().stream()
              .map(step -> plan.rehearsalProfile(definition.name(), step.name())).toList(),
          definition.steps().stream()
              .map(step -> step.measuredOn().flatMap(RelationVolume::table)).toList()));
    }
    return watches;
  }

  @Override
  public KindExample example(ExampleTarget target) {
    return KindExample.api("""
        sources.postgres.example {
          url = "jdbc:postgresql://%s:%d/example", user = example, password = "%s"
          interval = %s, connect-timeout = %s, statement-timeout = %s, lock-timeout = 500ms
        }
        """.formatted(target.host(), target.port(), target.secret("postgres-password"),
        target.interval(), target.timeout(), target.timeout()));
  }
}

package io.migrationexporter.source.postgres;

import io.migrationexporter.collect.BlockingSource;
import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepProgress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * One PostgreSQL database, {@code postgres:<name>}: its connections, locks, progress views,
 * activity counters, the queries of the configuration, and the migrations it runs.
 *
 * <p>Every query reads catalog or statistics views only (the configuration's own queries
 * excepted), so that none waits behind a migration's lock; each session carries
 * {@code statement_timeout} and {@code lock_timeout} all the same.
 *
 * <p>The source remembers, across refreshes, what the migrations' steps and rewrite estimates need
 * (current step, WAL position at its start): that memory is not cached data, which the collector
 * owns, but the state of the estimate.
 */
final class PostgresSource extends BlockingSource {
  private static final Logger LOG = Logger.getLogger(PostgresSource.class.getName());

  static final MetricDef EXPORTER_SESSIONS = MetricDef.gauge("migration_pg_exporter_sessions",
      "Sessions the exporter holds open on the database (at most its max-connections).",
      "database");
  static final MetricDef REWRITE_WRITTEN = MetricDef.gauge("migration_pg_rewrite_wal_written_bytes",
      "WAL written since the current step of a migration started rewriting a table.",
      "database", "migration");
  static final MetricDef REWRITE_EXPECTED = MetricDef.gauge(
      "migration_pg_rewrite_wal_expected_bytes",
      "WAL the current table rewrite of a migration is expected to write in all, from the table's"
          + " size before the step.", "database", "migration");

  private final PostgresDefinition definition;
  private final SessionPool pool;
  private final List<StepTracker> trackers = new ArrayList<>();
  /** Held for a whole refresh: an abandoned refresh and the next one never mix their memory. */
  private final ReentrantLock refreshing = new ReentrantLock();
  private long previousWal = -1;
  private Instant previousAt;
  private String lastQueryProblems = "";

  /** Opens no connection: the pool connects at the first refresh. */
  PostgresSource(PostgresDefinition definition) {
    this.definition = definition;
    this.pool = new SessionPool(definition.connection());
    definition.migrations().forEach(watch -> trackers.add(new StepTracker(watch)));
  }

  static String id(String name) {
    return "postgres:" + name;
  }

  static String describe(PostgresDefinition definition) {
    ConnectionSettings c = definition.connection();
    return "PostgreSQL " + c.target() + " as " + c.user() + ", TLS "
        + c.tls().map(ConnectionSettings.TlsSettings::mode).orElse("as the URL or the driver says")
        + ", statement_timeout "
        + Durations.format(c.statementTimeout()) + ", lock_timeout "
        + Durations.format(c.lockTimeout()) + ", at most " + c.maxConnections() + " sessions, "
        + definition.queries().size() + " queries, " + definition.migrations().size()
        + " migrations";
  }

  SessionPool pool() {
    return pool;
  }

  @Override
  protected Reading read(RefreshContext context) throws SourceException {
    boolean locked;
    try {
      locked = refreshing.tryLock(context.remaining().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceException(ErrorKind.TIMEOUT, "interrupted");
    }
    if (!locked) {
      throw new SourceException(ErrorKind.TIMEOUT, "the previous refresh still runs");
    }
    try {
      try {
        return readOnce(context);
      } catch (RetryOnNewSession e) {
        // A kept session died with the server (restart, failover): one new try at once.
        return readOnce(context);
      }
    } finally {
      refreshing.unlock();
    }
  }

  private Reading readOnce(RefreshContext context) throws SourceException {
    Session session = pool.acquire(context.remaining());
    try {
      return collect(session, context);
    } catch (SQLException e) {
      session.failed(e);
      if (session.reused() && PgErrors.breaksSession(e)) {
        throw new RetryOnNewSession();
      }
      throw PgErrors.of(e, definition.connection());
    } finally {
      session.close();
    }
  }

  private Reading collect(Session session, RefreshContext context)
      throws SQLException, SourceException {
    String database = definition.name();
    Reading.Builder out = Reading.builder();
    ActivityQuery.Snapshot snapshot = ActivityQuery.read(session);
    ConnectionReport.report(database, snapshot.backends(), definition.sessions(), out);
    LockReport.report(database, snapshot, out);
    MigrationSessionReport.report(database, snapshot.backends(), definition.sessions(), out);
    enoughTime(context, "activity");
    long wal = DatabaseStatsQuery.read(session, database, out);
    ProgressQuery.read(session, database, out);
    List<String> problems = new ArrayList<>();
    for (CustomQuery query : definition.queries()) {
      enoughTime(context, "query " + query.name());
      query.run(session, database, out).ifPresent(problems::add);
    }
    RunEvidence evidence = trackers.isEmpty() ? null : RunEvidence.read(session);
    for (StepTracker tracker : trackers) {
      enoughTime(context, "migration " + tracker.watch().name());
      follow(session, tracker, snapshot, evidence, wal, out).ifPresent(problems::add);
    }
    out.sample(EXPORTER_SESSIONS, pool.openSessions(), database);
    previousWal = wal;
    previousAt = snapshot.at();
    logProblems(problems);
    return out.build();
  }

  /** Reports one migration's progress; a failing query of the user's leaves it unknown. */
  private Optional<String> follow(Session session, StepTracker tracker,
      ActivityQuery.Snapshot snapshot, RunEvidence evidence, long wal, Reading.Builder out)
      throws SQLException {
    MigrationWatch watch = tracker.watch();
    Optional<StepTracker.ProgressRow> row;
    Optional<Boolean> done;
    try {
      row = watch.progressQuery().isPresent()
          ? progressRow(session, watch.progressQuery().get()) : Optional.empty();
      done = watch.doneQuery().isPresent()
          ? Optional.of(doneFlag(session, watch.doneQuery().get())) : Optional.empty();
    } catch (SQLException e) {
      session.failed(e);
      if (PgErrors.breaksSession(e)) {
        throw e;
      }
      return Optional.of("migration " + watch.name() + ": " + PgErrors.describe(e));
    }
    if (row.isPresent() && !watch.stepNames().contains(row.get().step())) {
      return Optional.of("migration " + watch.name() + ": the progress query returned a step"
          + " that is not configured");
    }
    StepProgress progress;
    try {
      progress = tracker.observe(new StepTracker.Observed(snapshot.at(), snapshot.backends(),
          definition.sessions(), row, done, evidence.postmasterStart(), evidence.rollbacks()), wal,
          (step, statement, queryStart) -> estimator(session, statement, queryStart,
              TimeProfile.of(watch.stepProfiles().get(step))),
          (step, statement) -> effectHolds(session, watch, step, statement));
    } catch (SQLException e) {
      session.failed(e);
      if (PgErrors.breaksSession(e)) {
        throw e;
      }
      return Optional.of("migration " + watch.name() + ": done-when of step "
          + watch.stepNames().get(tracker.currentStep()) + ": " + PgErrors.describe(e));
    }
    try {
      progress = progress.withUpcomingVolumes(upcomingVolumes(session, watch, progress));
    } catch (SQLException e) {
      session.failed(e);
      if (PgErrors.breaksSession(e)) {
        throw e;
      }
      return Optional.of("migration " + watch.name() + ": the size of a later step's table: "
          + PgErrors.describe(e));
    }
    out.migration(watch.name(), progress);
    tracker.lastEstimate().ifPresent(estimate -> {
      out.sample(REWRITE_WRITTEN, estimate.writtenBytes(), definition.name(), watch.name());
      out.sample(REWRITE_EXPECTED, estimate.expectedBytes(), definition.name(), watch.name());
    });
    return Optional.empty();
  }

  /**
   * The sizes of the tables the steps after the current one will rewrite, for those whose table a
   * rehearsal named; a table not found (yet) or never analyzed is left out.
   */
  private static Map<Integer, RelationVolume> upcomingVolumes(Session session,
      MigrationWatch watch, StepProgress progress) throws SQLException {
    Map<Integer, RelationVolume> volumes = new HashMap<>();
    if (progress.done()) {
      return volumes;
    }
    for (int step = progress.step() + 1; step < watch.stepNames().size(); step++) {
      Optional<String> table = watch.stepTables().get(step);
      if (table.isPresent()) {
        Optional<RelationSize> size = RelationSize.read(session, table.get());
        if (size.isPresent() && size.get().heapBytes() > 0) {
          volumes.put(step, size.get().volume(table.get()));
        }
      }
    }
    return volumes;
  }

  /**
   * Whether a step took effect: its done-when query, else for ALTER TABLE ... TYPE the columns'
   * types in the catalog; empty when neither can tell.
   */
  private static Optional<Boolean> effectHolds(Session session, MigrationWatch watch, int step,
      String statement) throws SQLException {
    Optional<String> doneWhen = watch.stepDoneWhen().get(step);
    if (doneWhen.isPresent()) {
      return Optional.of(doneFlag(session, doneWhen.get()));
    }
    Optional<ColumnTypeCheck> columns = ColumnTypeCheck.of(statement);
    return columns.isPresent() ? columns.get().holds(session) : Optional.empty();
  }

  private Optional<RewriteEstimator> estimator(Session session, String statement,
      Instant queryStart, TimeProfile profile) throws SQLException {
    Optional<RewriteTarget> target = RewriteTarget.of(statement);
    if (target.isEmpty()) {
      return Optional.empty();
    }
    String table = target.get().table();
    if ("minimal".equals(session.server().walLevel())) {
      throw new StepTracker.NoEstimate("no estimate: wal_level is minimal, a rewrite writes no WAL");
    }
    if (previousAt == null || previousAt.isAfter(queryStart)) {
      throw new StepTracker.NoEstimate(
          "no estimate: the step started before the exporter watched it");
    }
    Optional<RelationSize> size = RelationSize.read(session, table);
    if (size.isEmpty()) {
      throw new StepTracker.NoEstimate("no estimate: table " + table
          + " not found in the exporter's search path");
    }
    if (size.get().heapBytes() == 0) {
      throw new StepTracker.NoEstimate("no estimate: the size of " + table
          + " is unknown (run ANALYZE on it before the migration)");
    }
    RewritePlan plan = RewritePlan.read(session, table, statement)
        .orElse(new RewritePlan(List.of(), 0));
    return Optional.of(new RewriteEstimator(target.get(), size.get(), plan, profile,
        previousWal, previousAt, queryStart));
  }

  private static Optional<StepTracker.ProgressRow> progressRow(Session session, String sql)
      throws SQLException {
    try (PreparedStatement statement = session.connection().prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      if (!row.next() || row.getString(1) == null) {
        return Optional.empty();
      }
      ResultSetMetaData meta = row.getMetaData();
      boolean finished = false;
      Optional<Instant> startedAt = Optional.empty();
      for (int column = 2; column <= meta.getColumnCount(); column++) {
        String label = meta.getColumnLabel(column);
        if (label.equalsIgnoreCase("done")) {
          finished = row.getBoolean(column);
        } else if (label.equalsIgnoreCase("started_at")) {
          startedAt = Optional.ofNullable(ActivityQuery.instant(row.getTimestamp(column)));
        }
      }
      return Optional.of(new StepTracker.ProgressRow(row.getString(1), finished, startedAt));
    }
  }

  private static boolean doneFlag(Session session, String sql) throws SQLException {
    try (PreparedStatement statement = session.connection().prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      return row.next() && row.getBoolean(1);
    }
  }

  private static void enoughTime(RefreshContext context, String next) throws SourceException {
    if (context.remaining().compareTo(Duration.ofMillis(1)) < 0) {
      throw new SourceException(ErrorKind.TIMEOUT, "the refresh ran out of time before " + next);
    }
  }

  /** Logs the failures of the configuration's queries when they change, not at every refresh. */
  private void logProblems(List<String> problems) {
    String now = String.join("; ", problems);
    if (!now.equals(lastQueryProblems)) {
      lastQueryProblems = now;
      if (!now.isEmpty()) {
        LOG.warning(() -> id(definition.name()) + ": " + now);
      } else {
        LOG.info(() -> id(definition.name()) + ": the configured queries run again");
      }
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  /** A kept session turned out dead: the refresh tries once more on a new one. */
  private static final class RetryOnNewSession extends RuntimeException {
    RetryOnNewSession() {
      super(null, null, false, false);
    }
  }
}

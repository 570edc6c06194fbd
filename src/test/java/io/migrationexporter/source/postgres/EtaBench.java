package io.migrationexporter.source.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two halves of {@code bench/eta.sh}, run from the test classes (they use the source's own
 * catalog reads and estimator, which are package-private):
 *
 * <ul>
 *   <li>{@code record JDBC_URL LABEL STATEMENT FILE}: runs STATEMENT on one session and, from
 *       another, reads once a second what the exporter reads at a refresh (WAL position,
 *       {@code pg_stat_database} temp and read counters, the session's state and wait event,
 *       its parallel workers), after reading at the start what the estimator opens with (table
 *       size, rewrite plan); writes it all as a {@link RewriteTrace} to FILE.
 *   <li>{@code report FILE...}: replays each trace through the estimator and prints one Markdown
 *       row per trace: the remaining-time error at 25, 50 and 75 % of the real duration, as a
 *       share of the duration, for the time model and for the WAL ratio it replaced.
 *   <li>{@code fit FILE...}: the {@link TimeProfile} that fits the traces best (the smallest
 *       worst error at 25, 50 and 75 %, then the smallest squared error from 10 to 90 %), by a
 *       search over a grid. A check on {@link TimeProfile#MEASURED}, which keeps the phases'
 *       measured ratios instead: on run 1 the grid's best was no better than they are at its
 *       worst point (27 against 29 %), with ratios far from what the phases measure.
 *   <li>{@code explain FILE...}: each look of each trace replayed: the phase the estimator
 *       named, the remaining time it showed and the real one, to see where the model errs.
 * </ul>
 */
public final class EtaBench {
  private static final String SAMPLE = """
      SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
             (pg_current_wal_lsn() - '0/0')::float8::bigint, d.temp_bytes, d.blks_read,
             a.state, a.wait_event_type, a.wait_event, a.query_start,
             (SELECT count(*) FROM pg_catalog.pg_stat_activity w
              WHERE w.leader_pid = a.pid AND w.pid <> a.pid)::int
      FROM pg_catalog.pg_stat_database d
      LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = ?
      WHERE d.datname = current_database()
      """;
  static final double[] FRACTIONS = {0.25, 0.5, 0.75};

  private EtaBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 5 && args[0].equals("record")) {
      record(args[1], args[2], args[3], Path.of(args[4]));
    } else if (args.length >= 2 && args[0].equals("report")) {
      traces(args).forEach(trace -> System.out.println(row(trace)));
    } else if (args.length >= 2 && args[0].equals("fit")) {
      System.out.println(fit(traces(args)));
    } else if (args.length >= 2 && args[0].equals("explain")) {
      traces(args).forEach(EtaBench::explain);
    } else {
      System.err.println("usage: EtaBench record JDBC_URL LABEL STATEMENT FILE"
          + " | report FILE... | fit FILE... | explain FILE...");
      System.exit(2);
    }
  }

  private static void record(String url, String label, String sql, Path file) throws Exception {
    try (Connection migration = DriverManager.getConnection(url);
        Connection monitor = DriverManager.getConnection(url)) {
      monitor.setAutoCommit(true);
      int pid;
      try (Statement s = migration.createStatement();
          ResultSet row = s.executeQuery("SELECT pg_backend_pid()")) {
        row.next();
        pid = row.getInt(1);
      }
      Session session = new Session(null, monitor, ServerInfo.read(monitor));
      try (Statement s = monitor.createStatement()) {
        s.execute("SET lock_timeout = '1s'");
      }
      String table = RewriteTarget.of(sql).orElseThrow().table();
      List<RewriteTrace.Sample> samples = new ArrayList<>();
      RewriteTrace.Sample baseline;
      try (PreparedStatement query = monitor.prepareStatement(SAMPLE)) {
        query.setInt(1, pid);
        baseline = sample(query, new long[1]);
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
          try (Statement s = migration.createStatement()) {
            s.execute(sql);
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
        // What the exporter reads when it recognises the step: under the statement's lock.
        Thread.sleep(200);
        RelationSize size = RelationSize.read(session, table).orElseThrow();
        RewritePlan plan = RewritePlan.read(session, table, sql).orElseThrow();
        long[] queryStart = new long[1];
        long next = System.nanoTime();
        while (!running.isDone()) {
          samples.add(sample(query, queryStart));
          next += TimeUnit.SECONDS.toNanos(1);
          long wait = next - System.nanoTime();
          try {
            running.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
          } catch (java.util.concurrent.TimeoutException stillRunning) {
            // the next look
          }
        }
        long ended = sample(query, new long[1]).at();
        running.join();
        samples.removeIf(s -> s.at() >= ended);
        String version = session.server().version() / 10000 + "." + session.server().version() % 100;
        new RewriteTrace(label, sql, version, size, plan, baseline.wal(), baseline.at(),
            queryStart[0] == 0 ? baseline.at() : queryStart[0], ended, samples).write(file);
      }
    }
  }

  /** One look; keeps the rewriting session's {@code query_start} in {@code queryStart[0]}. */
  private static RewriteTrace.Sample sample(PreparedStatement query, long[] queryStart)
      throws SQLException {
    try (ResultSet row = query.executeQuery()) {
      row.next();
      Timestamp started = row.getTimestamp(8);
      if (queryStart[0] == 0 && started != null && "active".equals(row.getString(5))) {
        queryStart[0] = started.getTime();
      }
      return new RewriteTrace.Sample(row.getLong(1), row.getLong(2), row.getLong(3),
          row.getLong(4), row.getString(5), row.getString(6), row.getString(7), row.getInt(9));
    }
  }

  private static List<RewriteTrace> traces(String[] args) throws IOException {
    List<RewriteTrace> traces = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      try (var in = Files.newInputStream(Path.of(args[i]))) {
        traces.add(RewriteTrace.read(in));
      }
    }
    return traces;
  }

  static TimeProfile fit(List<RewriteTrace> traces) {
    TimeProfile best = null;
    double bestWorst = Double.MAX_VALUE;
    double bestSquares = Double.MAX_VALUE;
    for (double sort = 0; sort <= 1.001; sort += 0.05) {
      for (double write = 0.5; write <= 3.001; write += 0.25) {
        for (double keys = 0.1; keys <= 2.001; keys += 0.05) {
            TimeProfile profile = new TimeProfile(TimeProfile.MEASURED.heapWalPerSecond(),
                round(sort), round(write), round(keys));
            double worst = 0;
            double squares = 0;
            for (RewriteTrace trace : traces) {
              List<RewriteTrace.Prediction> predictions = trace.replay(profile);
              for (double fraction : FRACTIONS) {
                worst = Math.max(worst,
                    Math.abs(trace.remainingError(predictions, fraction).orElse(1.0)));
              }
              for (int tenth = 1; tenth <= 9; tenth++) {
                double error = trace.remainingError(predictions, tenth / 10.0).orElse(1.0);
                squares += error * error;
              }
            }
            if (worst < bestWorst - 1e-9 || worst < bestWorst + 1e-9 && squares < bestSquares) {
              best = profile;
              bestWorst = worst;
              bestSquares = squares;
            }
        }
      }
    }
    System.err.printf(Locale.ROOT, "worst error at 25/50/75 %%: %.1f %%%n", bestWorst * 100);
    return best;
  }

  private static void explain(RewriteTrace trace) {
    System.out.printf(Locale.ROOT, "%s (%.1f s)%n", trace.label(), trace.duration().toMillis() / 1e3);
    for (RewriteTrace.Prediction prediction : trace.replay(TimeProfile.MEASURED)) {
      long at = prediction.sample().at();
      RewriteEstimator.Estimate estimate = prediction.estimate();
      System.out.printf(Locale.ROOT, "%7.1f s  %-40s remaining %7s, real %6.1f s%n",
          (at - trace.startedAt()) / 1e3, estimate.detail(),
          estimate.eta().map(eta -> String.format(Locale.ROOT, "%.1f s",
              (eta.toEpochMilli() - at) / 1e3)).orElse("-"), (trace.endedAt() - at) / 1e3);
    }
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  /** | trace | duration | model at 25/50/75 % | WAL ratio at 25/50/75 % | */
  static String row(RewriteTrace trace) {
    List<RewriteTrace.Prediction> predictions = trace.replay(TimeProfile.MEASURED);
    StringBuilder out = new StringBuilder("| " + trace.label() + " | "
        + String.format(Locale.ROOT, "%.1f s", trace.duration().toMillis() / 1e3) + " |");
    for (double fraction : FRACTIONS) {
      out.append(' ').append(percent(trace.remainingError(predictions, fraction))).append(" |");
    }
    for (double fraction : FRACTIONS) {
      out.append(' ').append(percent(trace.walRatioError(fraction))).append(" |");
    }
    return out.toString();
  }

  private static String percent(Optional<Double> error) {
    return error.map(e -> String.format(Locale.ROOT, "%+.0f %%", e * 100)).orElse("no ETA");
  }
}

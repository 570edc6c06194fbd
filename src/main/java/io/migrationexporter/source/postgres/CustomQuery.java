package io.migrationexporter.source.postgres;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A scalar query from the configuration ({@code queries.<name> { sql = "..." }}): its first column
 * of its first row becomes a gauge, and, with {@code closed-when}/{@code open-when}, the
 * observation of a check. It runs in the exporter's session, read-only and under the same
 * statement and lock timeouts: a query on a table the migration locks fails after lock_timeout,
 * and that query alone reports no value.
 */
record CustomQuery(String name, String sql, Optional<Condition> closedWhen,
    Optional<Condition> openWhen) {

  static final MetricDef VALUE = MetricDef.gauge("migration_pg_query_value",
      "Value of a query from the configuration (first column of the first row; true is 1);"
          + " absent when the query failed or returned no value.", "database", "query");
  static final MetricDef SUCCESS = MetricDef.gauge("migration_pg_query_success",
      "1 when the last run of a query from the configuration succeeded, 0 when it failed.",
      "database", "query");

  /** The observation key of this query's check. */
  String observationKey() {
    return "query:" + name;
  }

  boolean hasCheck() {
    return closedWhen.isPresent() || openWhen.isPresent();
  }

  /**
   * Runs the query and reports it. A failure of the user's SQL is not the source's failure: it
   * shows as {@code migration_pg_query_success 0} and no observation, so its check is unknown.
   *
   * @return the safe words of the failure, or empty when the query ran
   */
  Optional<String> run(Session session, String database, Reading.Builder out) throws SQLException {
    Object first;
    try (PreparedStatement statement = session.connection().prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      first = row.next() ? row.getObject(1) : null;
    } catch (SQLException e) {
      session.failed(e);
      if (PgErrors.breaksSession(e)) {
        throw e;
      }
      out.sample(SUCCESS, 0, database, name);
      return Optional.of("query " + name + " failed: " + PgErrors.describe(e));
    }
    OptionalDouble value;
    if (first == null) {
      value = OptionalDouble.empty();
    } else if (first instanceof Boolean flag) {
      value = OptionalDouble.of(flag ? 1 : 0);
    } else if (first instanceof Number number) {
      value = OptionalDouble.of(number.doubleValue());
    } else {
      out.sample(SUCCESS, 0, database, name);
      return Optional.of("query " + name + " returned a value that is not a number or a boolean");
    }
    out.sample(SUCCESS, 1, database, name);
    value.ifPresent(v -> out.sample(VALUE, v, database, name));
    if (hasCheck()) {
      out.observation(observationKey(), observation(value));
    }
    return Optional.empty();
  }

  /**
   * Closed when {@code closed-when} holds, open when {@code open-when} holds. With only one of
   * them, a value that does not match it is the other state ("closed when == 0": any other value
   * is open); with both, a value matching neither is neither.
   */
  Observation observation(OptionalDouble value) {
    if (value.isEmpty()) {
      return Observation.neither("No value (the query returned no row or NULL)");
    }
    double v = value.getAsDouble();
    String shown = v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    boolean closed = closedWhen.map(c -> c.test(v)).orElse(false);
    boolean open = openWhen.map(c -> c.test(v)).orElse(false);
    if (closedWhen.isPresent() && openWhen.isEmpty()) {
      open = !closed;
    } else if (openWhen.isPresent() && closedWhen.isEmpty()) {
      closed = !open;
    }
    if (closed) {
      return Observation.closed("Value " + shown + closedWhen.map(c -> " (closed when " + c + ")")
          .orElse(" (not open)"));
    }
    if (open) {
      return Observation.open("Value " + shown + openWhen.map(c -> " (open when " + c + ")")
          .orElse(" (not closed)"));
    }
    return Observation.neither("Value " + shown);
  }
}

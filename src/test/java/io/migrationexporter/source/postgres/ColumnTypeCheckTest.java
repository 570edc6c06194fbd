package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which columns an ALTER TABLE changes, and whether the catalog shows their target type. */
class ColumnTypeCheckTest {
  @Test
  void readsTheTableAndEveryChangedColumn() {
    assertThat(ColumnTypeCheck.of(
        "ALTER TABLE \"knowledge-elements\" ALTER COLUMN \"answerId\" TYPE BIGINT"))
        .contains(new ColumnTypeCheck("\"knowledge-elements\"",
            List.of(new ColumnTypeCheck.Column("answerId", "BIGINT"))));
    assertThat(ColumnTypeCheck.of("alter table if exists only public.Answers alter id set data"
        + " type numeric(12, 2) using id::numeric, ADD COLUMN x int, ALTER \"Other\" TYPE bigint;"))
        .contains(new ColumnTypeCheck("public.Answers", List.of(
            new ColumnTypeCheck.Column("id", "numeric(12, 2)"),
            new ColumnTypeCheck.Column("Other", "bigint"))));
    assertThat(ColumnTypeCheck.of("ALTER TABLE answers ADD COLUMN x int")).isEmpty();
    assertThat(ColumnTypeCheck.of("ALTER SEQUENCE answers_id_seq AS BIGINT")).isEmpty();
  }

  @Test
  void theCatalogSaysWhetherTheTypeChanged() throws Exception {
    PgTestServer server = PgTestServer.shared();
    String database = server.createDatabase("column_type_check");
    try (Connection admin = server.admin(database); Statement sql = admin.createStatement()) {
      sql.execute("CREATE TABLE \"knowledge-elements\" (\"answerId\" integer, n numeric(5,1))");
      Session session = new Session(null, admin, null);
      ColumnTypeCheck change = ColumnTypeCheck.of(
          "ALTER TABLE \"knowledge-elements\" ALTER COLUMN \"answerId\" TYPE int8").orElseThrow();
      assertThat(change.holds(session)).contains(false);
      sql.execute("ALTER TABLE \"knowledge-elements\" ALTER COLUMN \"answerId\" TYPE bigint");
      assertThat(change.holds(session)).contains(true);
      assertThat(ColumnTypeCheck.of("ALTER TABLE \"knowledge-elements\" ALTER n TYPE numeric(9,2)")
          .orElseThrow().holds(session)).contains(true);
      assertThat(ColumnTypeCheck.of("ALTER TABLE missing ALTER COLUMN x TYPE bigint")
          .orElseThrow().holds(session)).isEqualTo(Optional.empty());
      assertThat(ColumnTypeCheck.of("ALTER TABLE \"knowledge-elements\" ALTER \"answerId\""
          + " TYPE no_such_type").orElseThrow().holds(session)).isEqualTo(Optional.empty());
    }
  }
}

package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Statements, comparisons and query checks: what the source reads from text. */
class ParsingTest {
  @Test
  void findsTheTableOfStatementsThatRewriteIt() {
    assertThat(RewriteTarget.of("ALTER TABLE \"knowledge-elements\" ALTER COLUMN \"answerId\" TYPE BIGINT"))
        .contains(new RewriteTarget("\"knowledge-elements\"", true));
    assertThat(RewriteTarget.of("/* knex */ alter table if exists only public . answers"
        + " alter column id set data type bigint")).contains(new RewriteTarget("public.answers", true));
    assertThat(RewriteTarget.of("VACUUM (FULL, VERBOSE) big")).contains(new RewriteTarget("big", false));
    assertThat(RewriteTarget.of("vacuum full analyze s.big")).contains(new RewriteTarget("s.big", false));
    assertThat(RewriteTarget.of("CLUSTER answers USING answers_pkey")).contains(new RewriteTarget("answers", false));
  }

  @Test
  void ignoresStatementsThatDoNotRewrite() {
    assertThat(RewriteTarget.of("ALTER TABLE answers ADD COLUMN x int")).isEmpty();
    assertThat(RewriteTarget.of("VACUUM answers")).isEmpty();
    assertThat(RewriteTarget.of("ALTER SEQUENCE answers_id_seq AS BIGINT")).isEmpty();
    assertThat(RewriteTarget.of("SELECT 'ALTER TABLE x ALTER COLUMN y TYPE bigint'")).isEmpty();
  }

  @Test
  void comparisonsOfCustomQueries() {
    assertThat(Condition.parse("== 0")).hasValueSatisfying(c -> assertThat(c.test(0)).isTrue());
    assertThat(Condition.parse(">= 2.5")).hasValueSatisfying(c -> {
      assertThat(c.test(2.5)).isTrue();
      assertThat(c.test(2)).isFalse();
      assertThat(c).hasToString(">= 2.5");
    });
    assertThat(Condition.parse("=0")).isEmpty();
    assertThat(Condition.parse("> x")).isEmpty();
  }

  @Test
  void aQueryCheckWithOneComparisonTakesTheOtherStateForTheRest() {
    CustomQuery closedAtZero = new CustomQuery("slots", "SELECT 1", Condition.parse("== 0"),
        java.util.Optional.empty());
    assertThat(closedAtZero.observation(java.util.OptionalDouble.of(0)).closed()).isTrue();
    assertThat(closedAtZero.observation(java.util.OptionalDouble.of(2)).open()).isTrue();
    CustomQuery both = new CustomQuery("q", "SELECT 1", Condition.parse("== 0"),
        Condition.parse("> 5"));
    var middle = both.observation(java.util.OptionalDouble.of(3));
    assertThat(middle.closed() || middle.open()).isFalse();
    assertThat(both.observation(java.util.OptionalDouble.empty()).summary())
        .startsWith("No value");
  }
}

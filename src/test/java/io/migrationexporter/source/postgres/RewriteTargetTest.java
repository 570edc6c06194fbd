package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RewriteTargetTest {
  @Test
  void findsTheTableOfStatementsThatRewriteIt() {
    assertThat(RewriteTarget.of("ALTER TABLE \"knowledge-elements\" ALTER COLUMN \"answerId\" TYPE BIGINT"))
        .contains("\"knowledge-elements\"");
    assertThat(RewriteTarget.of("/* knex */ alter table if exists only public . answers"
        + " alter column id set data type bigint")).contains("public.answers");
    assertThat(RewriteTarget.of("VACUUM (FULL, VERBOSE) big")).contains("big");
    assertThat(RewriteTarget.of("vacuum full analyze s.big")).contains("s.big");
    assertThat(RewriteTarget.of("CLUSTER answers USING answers_pkey")).contains("answers");
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
}

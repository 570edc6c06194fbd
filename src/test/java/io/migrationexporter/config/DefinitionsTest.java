package io.migrationexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The text reader behind duplicate names: it must follow HOCON's lexical corners. */
class DefinitionsTest {
  private static Definitions scan(String text) {
    return Definitions.scan("exporter.conf", text);
  }

  @Test
  void braceLikeCharactersInStringsAndCommentsDoNotOpenObjects() {
    Definitions definitions = scan("""
        # checks { front { } }
        checks {
          front { http.url = "http://x/{path}" } // front { again }
          api {
            http.url = "http://y/"
            title = \"""a title with } and { and " quotes""\"
          }
        }
        checks.front.title = "x"
        """);

    assertThat(definitions.under("checks.front")).isEmpty();
    assertThat(definitions.under("checks.api")).isEmpty();
  }

  @Test
  void objectsInListsHaveNoNames() {
    Definitions definitions = scan("""
        sources.pg.main.migrations.m {
          steps = [
            { name = a, title = "A" }
            { name = a, title = "A" }
          ]
        }
        """);

    assertThat(definitions.under("sources.pg.main.migrations.m")).isEmpty();
  }

  @Test
  void repeatsAreFoundInABracedRootWithSeparatorsOfAllKinds() {
    Definitions definitions = scan("""
        {
          "checks" : { front : { http.url = "a" } },
          checks { "front" { http { url: "b" } } }
        }
        """);

    assertThat(definitions.under("checks.front")).get()
        .isEqualTo(new Definitions.Repeat("exporter.conf", "checks.front", 2, 3));
  }

  @Test
  void includesAppendsAndSubstitutionsAreNoDefinitions() {
    Definitions definitions = scan("""
        include "common.conf"
        checks.front {
          http.url = "a"
          http.url = ${?FRONT_URL}
          tags = [a]
          tags += b
        }
        """);

    assertThat(definitions.under("checks.front")).isEmpty();
  }

  @Test
  void textItCannotFollowGivesNoRepeatRatherThanAWrongOne() {
    Definitions definitions = scan("""
        checks { front { http.url = "a" } }
        checks { front { http.url = "b" } }
        checks { unclosed {
        """);

    assertThat(definitions.under("checks.front")).isEmpty();
  }
}

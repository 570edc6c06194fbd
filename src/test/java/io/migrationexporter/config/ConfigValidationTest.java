package io.migrationexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.migrationexporter.app.Modules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each invalid configuration the issue lists gives one line naming the file, the line and the
 * key, so that a user finds the mistake without reading a stack trace.
 */
class ConfigValidationTest {
  @TempDir
  Path dir;

  private Path file;

  private Path write(String hocon) throws IOException {
    file = dir.resolve("exporter.conf");
    Files.writeString(file, hocon, StandardCharsets.UTF_8);
    return file;
  }

  private Plan load(String hocon) throws Exception {
    return Modules.loader().load(write(hocon));
  }

  private List<ConfigProblem> problems(String hocon) throws IOException {
    write(hocon);
    ConfigException refused = catchThrowableOfType(ConfigException.class,
        () -> Modules.loader().load(file));
    assertThat(refused).as("the configuration should be refused").isNotNull();
    return refused.problems();
  }

  /**
   * Asserts that {@code hocon} gives exactly one problem, on the line holding {@code marker}, for
   * {@code key}, and returns its message.
   */
  private String oneProblem(String hocon, String marker, String key) throws IOException {
    return oneProblem(hocon, lineOf(hocon, marker, 1), key);
  }

  private String oneProblem(String hocon, int line, String key) throws IOException {
    List<ConfigProblem> problems = problems(hocon);
    assertThat(problems).as("problems of%n%s", hocon).hasSize(1);
    ConfigProblem problem = problems.get(0);
    assertThat(problem.toString()).doesNotContain("\n")
        .startsWith(file + ":" + line + ": " + key + ": ");
    return problem.message();
  }

  /** The line number of the {@code occurrence}-th line (from 1) holding {@code marker}. */
  static int lineOf(String text, String marker, int occurrence) {
    String[] lines = text.split("\n", -1);
    int seen = 0;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(marker) && ++seen == occurrence) {
        return i + 1;
      }
    }
    throw new AssertionError("'" + marker + "' is not " + occurrence + " times in the text");
  }

  @Test
  void misspeltKeyIsUnknownWithASuggestion() throws IOException {
    String message = oneProblem("""
        checks.front.http {
          url = "http://127.0.0.1:1/"
          timout = 2s
        }
        """, "timout", "checks.front.http.timout");

    assertThat(message).isEqualTo("unknown key (did you mean 'timeout'?)");
  }

  @Test
  void unknownKeyFarFromAnyKnownOneHasNoSuggestion() throws IOException {
    String message = oneProblem("""
        server.listen = "127.0.0.1:0"
        colour = blue
        """, "colour", "colour");

    assertThat(message).isEqualTo("unknown key");
  }

  @Test
  void listenAddressWithTwoHostsIsRefused() throws IOException {
    String message = oneProblem("""
        server.listen = "0.0.0.0:0.0.0.0:8642"
        """, "listen", "server.listen");

    assertThat(message).startsWith("expected host:port such as 0.0.0.0:8642");
  }

  @Test
  void wrongTypeNamesWhatWasExpected() throws IOException {
    String message = oneProblem("""
        checks.front.http {
          url = "http://127.0.0.1:1/"
          follow-redirects = sometimes
        }
        """, "follow-redirects", "checks.front.http.follow-redirects");

    assertThat(message).isEqualTo("expected true or false, got 'sometimes'");
  }

  @Test
  void objectWhereAListIsExpected() throws IOException {
    String message = oneProblem("""
        phases {
          order { first = preparation }
        }
        """, "order", "phases.order");

    assertThat(message).isEqualTo("expected a list such as [a, b], got an object");
  }

  @Test
  void malformedUrl() throws IOException {
    String message = oneProblem("""
        checks.front.http.url = "http://front end.example.org/"
        """, "front end", "checks.front.http.url");

    assertThat(message).startsWith("'http://front end.example.org/' is not a valid URL");
  }

  @Test
  void urlThatIsNotHttp() throws IOException {
    String message = oneProblem("""
        checks.front.http.url = "ftp://files.example.org/"
        """, "ftp", "checks.front.http.url");

    assertThat(message).isEqualTo("'ftp://files.example.org/' is not an http or https URL");
  }

  @Test
  void badDuration() throws IOException {
    String message = oneProblem("""
        checks.front {
          http { url = "http://127.0.0.1:1/", timeout = 5 parsecs }
        }
        """, "parsecs", "checks.front.http.timeout");

    assertThat(message).isEqualTo("expected a duration such as 500ms, 10s or 2m, got '5 parsecs'");
  }

  @Test
  void badRegex() throws IOException {
    String message = oneProblem("""
        checks.front.http {
          url = "http://127.0.0.1:1/"
          closed-body-regex = "(en maintenance"
        }
        """, "closed-body-regex", "checks.front.http.closed-body-regex");

    assertThat(message).startsWith("invalid regular expression '(en maintenance': Unclosed group");
  }

  @Test
  void checkCopiedWithoutRenamingIsADuplicate() throws IOException {
    String hocon = """
        checks {
          front {
            http { url = "http://127.0.0.1:1/" }
          }
          api {
            http { url = "http://127.0.0.1:2/" }
          }
          front {
            http { url = "http://127.0.0.1:3/" }
          }
        }
        """;

    String message = oneProblem(hocon, lineOf(hocon, "front {", 2), "checks.front");

    assertThat(message).isEqualTo("defined more than once (lines 2 and 8); each name must be unique");
  }

  @Test
  void checkWrittenTwiceWithDifferentKeysIsADuplicate() throws IOException {
    String hocon = """
        checks {
          front {
            title = "Front"
            http { url = "http://127.0.0.1:1/" }
          }
          front {
            http { url = "http://127.0.0.1:3/" }
          }
        }
        """;

    String message = oneProblem(hocon, lineOf(hocon, "front {", 2), "checks.front");

    assertThat(message).startsWith("defined more than once");
  }

  @Test
  void checkWrittenInTwoChecksBlocksIsADuplicate() throws IOException {
    String hocon = """
        checks {
          front {
            http { url = "http://127.0.0.1:1/" }
          }
        }
        checks {
          front {
            http { url = "http://127.0.0.1:2/" }
          }
        }
        """;

    String message = oneProblem(hocon, lineOf(hocon, "front {", 2), "checks.front");

    assertThat(message).startsWith("defined more than once");
  }

  @Test
  void checkWrittenTwiceOnOneLineEachIsADuplicate() throws IOException {
    String hocon = """
        checks.front.http.url = "http://127.0.0.1:1/"
        checks.front.http.url = "http://127.0.0.1:2/"
        """;

    String message = oneProblem(hocon, 2, "checks.front");

    assertThat(message).isEqualTo("sets checks.front.http.url more than once (lines 1 and 2)");
  }

  @Test
  void appWrittenTwiceIsADuplicate() throws IOException {
    String hocon = """
        apps {
          front {
            title = "Front"
          }
          front {
            title = "Front"
          }
        }
        """;

    String message = oneProblem(hocon, lineOf(hocon, "front {", 2), "apps.front");

    assertThat(message).startsWith("defined more than once");
  }

  @Test
  void singleObjectsOverSeveralLinesAreNoDuplicates() {
    assertThatCode(() -> load("""
        apps {
          front {
            title = "Front"
          }
        }
        checks {
          front {
            title = "Front"
            app = front
            http {
              url = "http://127.0.0.1:1/"
              timeout = 2s
            }
          }
          api {
            http {
              url = "http://127.0.0.1:2/"
            }
          }
        }
        """)).doesNotThrowAnyException();
  }

  @Test
  void dottedKeysAddingToAnObjectAndOptionalOverridesAreNoDuplicates() {
    assertThatCode(() -> load("""
        checks.front.title = "Front"
        checks.front {
          http {
            url = "http://127.0.0.1:1/"
            url = ${?FRONT_URL_FOR_A_TEST_THAT_IS_NEVER_SET}
          }
        }
        checks.front.http.timeout = 2s
        """)).doesNotThrowAnyException();
  }

  @Test
  void theDefaultGateMayBeAdjustedWithoutBeingADuplicate() throws Exception {
    Plan plan = load("""
        checks.front.http.url = "http://127.0.0.1:1/"
        gates {
          ready-to-migrate {
            title = "Go for the migration"
          }
        }
        """);

    assertThat(plan.gate("ready-to-migrate")).get()
        .satisfies(gate -> assertThat(gate.title()).isEqualTo("Go for the migration"));
  }

  @Test
  void theDefaultGateMaySelectNoCheck() throws Exception {
    Plan plan = load("""
        checks.reopened {
          group = reopening
          http.url = "http://127.0.0.1:1/"
        }
        """);

    assertThat(plan.gate("ready-to-migrate")).isPresent();
  }

  @Test
  void aGateTheUserWroteThatSelectsNoCheckIsAMistake() throws IOException {
    String message = oneProblem("""
        checks.front.http.url = "http://127.0.0.1:1/"
        gates.reopened {
          phase = reopening
          groups = [reopenning]
        }
        """, "groups", "gates.reopened.groups");

    assertThat(message).isEqualTo("no check is in group reopenning, so the gate could never open");
  }

  @Test
  void checkNamingAnUnknownApp() throws IOException {
    String message = oneProblem("""
        apps.front.title = "Front"
        checks.api {
          app = back
          http.url = "http://127.0.0.1:1/"
        }
        """, "app = back", "checks.api.app");

    assertThat(message).isEqualTo("unknown app 'back', the apps are front");
  }

  @Test
  void phaseListWithoutAPhaseTheDefaultsName() throws IOException {
    String message = oneProblem("""
        checks.front.http.url = "http://127.0.0.1:1/"
        phases {
          order = [preparation, maintenance, reopening, done]
        }
        """, "order", "phases.order");

    assertThat(message).isEqualTo("lacks phase 'migration', which the defaults use in"
        + " defaults.closed-phases, gates.ready-to-migrate.phase: list it, or set those keys too");
  }

  @Test
  void phaseListMayDropADefaultPhaseWhenTheKeysNamingItAreSet() {
    assertThatCode(() -> load("""
        checks.front.http.url = "http://127.0.0.1:1/"
        phases.order = [before, during, after]
        phases.initial = before
        defaults { closed-phases = [during], open-phases = [before, after] }
        gates.ready-to-migrate.phase = during
        """)).doesNotThrowAnyException();
  }

  @Test
  void phaseNamedInTheUsersOwnKeyIsReportedThere() throws IOException {
    String message = oneProblem("""
        checks.front {
          closed-phases = [maintenance, migraton]
          http.url = "http://127.0.0.1:1/"
        }
        """, "migraton", "checks.front.closed-phases");

    assertThat(message).startsWith("names phase 'migraton', which phases.order");
  }

  @Test
  void missingRequiredKey() throws IOException {
    String message = oneProblem("""
        checks.front {
          http { }
        }
        """, "http", "checks.front.http.url");

    assertThat(message).isEqualTo("missing, this key is required");
  }

  @Test
  void syntaxErrorNamesFileAndLine() throws IOException {
    List<ConfigProblem> problems = problems("""
        checks {
          front {
            http { url = "http://127.0.0.1:1/" }
        """);

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.file()).isEqualTo(file.toString());
      assertThat(problem.line()).isPositive();
      assertThat(problem.toString()).doesNotContain("\n");
    });
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    List<ConfigProblem> problems = problems("""
        checks.a.http { url = "http://127.0.0.1:1/", timout = 2s }
        checks.b.http { url = "ftp://127.0.0.1/" }
        checks.c { app = nowhere, http.url = "http://127.0.0.1:3/" }
        """);

    assertThat(problems).extracting(ConfigProblem::key)
        .containsExactlyInAnyOrder("checks.a.http.timout", "checks.b.http.url", "checks.c.app");
  }

  @Test
  void aKindWithoutDefaultsTakesAnEmptyBlockAndAMisspeltOneIsNamed() throws Exception {
    load("""
        defaults.freshping {}
        """);
    String message = oneProblem("""
        defaults.kubernetes-workload {}
        """, "kubernetes-workload", "defaults.kubernetes-workload");

    assertThat(message).isEqualTo("unknown key (did you mean 'kubernetes-workloads'?)");
  }
}

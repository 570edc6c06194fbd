package io.migrationexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check-config} on a misspelt required key: one line, on the misspelt key, that names
 * both spellings; no line for what only follows from it; every line in file order.
 */
class MisspeltKeyTest {
  @TempDir
  Path dir;

  private Cli.Result checkConfig(Path file, String text) throws IOException {
    Files.writeString(file, text);
    return Cli.run("check-config", file.toString());
  }

  @Test
  void aMisspeltRequiredKeyIsNamedOnItsLineWithoutConsequentialLines() throws IOException {
    Path file = dir.resolve("tokn.conf");
    Cli.Result result = checkConfig(file, """
        sources.scalingo.pix {
          tokn = "tk-us-0123456789abcdefghijklmnop"
          region = osc-fr1
          apps { pix-api {}, pix-front {} }
        }
        sources.freshping.pix {
          api-ky = "0123456789abcdefghijklmnop"
          subdomain = pix
        }
        checks {
          api { scalingo-containers { account = pix, app = pix-api } }
          front { scalingo-containers { account = pix, app = pix-front } }
          site { freshping { account = pix, check-id = "12" } }
        }
        """);

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err().lines()).containsExactly(
        file.toAbsolutePath() + ":2: sources.scalingo.pix.token: missing: set token ="
            + " ${?SCALINGO_TOKEN} or token-file = /path/to/file (did you mean 'token' where you"
            + " wrote 'tokn'?)",
        file.toAbsolutePath() + ":7: sources.freshping.pix.api-key: missing: set api-key ="
            + " ${?FRESHPING_API_KEY} or api-key-file = /path/to/file (did you mean 'api-key' where"
            + " you wrote 'api-ky'?)",
        "migration-exporter: " + file + " is invalid (2 problems)");
    assertThat(result.err()).as("no secret quoted").doesNotContain("0123456789");
  }

  @Test
  void aCheckOnAnAppThatIsReallyMissingIsStillReported() throws IOException {
    Path file = dir.resolve("app.conf");
    Cli.Result result = checkConfig(file, """
        sources.scalingo.pix {
          token = "tk-us-0123456789abcdefghijklmnop"
          region = osc-fr1
          apps { pix-api {} }
        }
        checks.front { scalingo-containers { account = pix, app = pix-front } }
        """);

    assertThat(result.err()).contains(":6: checks.front.scalingo-containers.app: no app"
        + " 'pix-front' under sources.scalingo.pix.apps; declare it there");
  }

  @Test
  void problemsAreListedByLineWhateverTheOrderTheyAreFoundIn() throws IOException {
    Path file = dir.resolve("order.conf");
    // checks are read after sources, though written first here
    Cli.Result result = checkConfig(file, """
        checks.front.http {
          url = "http://127.0.0.1:1/"
          timout = 2s
        }
        sources.scalingo.pix {
          token = "tk-us-0123456789abcdefghijklmnop"
          region = osc-fr9
          apps { pix-api {} }
        }
        """);

    assertThat(result.err().lines().limit(2))
        .satisfiesExactly(
            first -> assertThat(first).contains(":3: checks.front.http.timout"),
            second -> assertThat(second).contains(":7: sources.scalingo.pix.region"));
  }
}

package io.migrationexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check-config}: exit status, one line per problem, no stack trace, no secret. */
class CheckConfigCommandTest {
  private static final String INLINE_TOKEN = "inline-admin-token-7f3a";
  private static final String FILE_TOKEN = "file-admin-token-9c1e";
  private static final String HEADER_SECRET = "Bearer header-secret-4b2d";

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void invalidConfigurationExitsWithTwoAndOneLinePerProblem() throws IOException {
    Path file = write("bad.conf", """
        checks.front.http {
          url = "http://127.0.0.1:1/"
          timout = 2s
        }
        checks.api.http.url = "ftp://127.0.0.1/"
        """);

    Cli.Result result = Cli.run("check-config", file.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines()).containsExactly(
        file.toAbsolutePath() + ":3: checks.front.http.timout: unknown key (did you mean 'timeout'?)",
        file.toAbsolutePath() + ":5: checks.api.http.url: 'ftp://127.0.0.1/' is not an http or https"
            + " URL",
        "migration-exporter: " + file + " is invalid (2 problems)");
  }

  @Test
  void problemsThatOnceEscapedAsExceptionsPrintNoStackTrace() throws IOException {
    Path file = write("phases.conf", """
        phases.order = [preparation, maintenance, reopening, done]
        """);

    Cli.Result result = Cli.run("check-config", file.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("phases.order: lacks phase 'migration'")
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void syntaxErrorAndMissingFileExitWithTwo() throws IOException {
    Path broken = write("broken.conf", "checks { front {\n");

    Cli.Result syntax = Cli.run("check-config", broken.toString());
    Cli.Result missing = Cli.run("check-config", dir.resolve("absent.conf").toString());

    assertThat(syntax.exit()).isEqualTo(2);
    assertThat(syntax.err()).startsWith(broken.toAbsolutePath() + ":").doesNotContain("\tat ");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read the configuration file");
  }

  @Test
  void validConfigurationPrintsThePlanWithoutSecrets() throws IOException {
    Path file = write("good.conf", """
        server.admin-token = "%s"
        apps.front.title = "Front"
        checks.front {
          app = front
          http {
            url = "https://front.example.org/"
            headers { Authorization = "%s", X-Team = pix }
          }
        }
        checks.db.tcp.address = "db.internal:5432"
        """.formatted(INLINE_TOKEN, HEADER_SECRET));

    Cli.Result result = Cli.run("check-config", file.toString());

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.err()).isEmpty();
    assertThat(result.out())
        .contains("is valid")
        .contains("admin token set (inline)")
        .contains("front [http, group maintenance, app front]")
        .contains("GET https://front.example.org/")
        .contains("headers Authorization: <redacted>, X-Team: pix")
        .contains("reloads over HTTP with the admin token")
        .contains("connect to db.internal:5432")
        .contains("ready-to-migrate: open when its 2 checks")
        .doesNotContain(INLINE_TOKEN)
        .doesNotContain("header-secret-4b2d");
  }

  @Test
  void secretReadFromAFileIsNotPrinted() throws IOException {
    write("token", FILE_TOKEN + "\n");
    Path file = write("good.conf", """
        server.admin-token-file = token
        checks.front.http.url = "http://127.0.0.1:1/"
        """);

    Cli.Result result = Cli.run("check-config", file.toString());

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out()).contains("admin token set (file " + dir.resolve("token") + ")");
    assertThat(result.all()).doesNotContain(FILE_TOKEN);
  }

  @Test
  void secretsAreNotPrintedWhenTheConfigurationIsInvalidEither() throws IOException {
    write("token", FILE_TOKEN);
    Path inline = write("inline.conf", """
        server.admin-token = "%s"
        checks.front.http { url = "http://127.0.0.1:1/", headers.Authorization = "%s", timout = 1s }
        """.formatted(INLINE_TOKEN, HEADER_SECRET));
    Path both = write("both.conf", """
        server { admin-token = "%s", admin-token-file = token }
        """.formatted(INLINE_TOKEN));

    Cli.Result invalid = Cli.run("check-config", inline.toString());
    Cli.Result twice = Cli.run("check-config", both.toString());

    assertThat(invalid.exit()).isEqualTo(2);
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("server.admin-token-file: set either server.admin-token or"
        + " server.admin-token-file, not both");
    for (Cli.Result result : new Cli.Result[] {invalid, twice}) {
      assertThat(result.all()).doesNotContain(INLINE_TOKEN).doesNotContain(FILE_TOKEN)
          .doesNotContain("header-secret-4b2d");
    }
  }

  @Test
  void passwordInAUrlBecomesASecretHeaderAndIsNeverPrinted() throws IOException {
    Path valid = write("userinfo.conf", """
        checks.front.http.url = "https://monitor:hunter2-password@front.example.org/"
        """);
    Path invalid = write("userinfo-invalid.conf", """
        checks.api.http.url = "https://monitor:hunter2-password@api example.org/"
        """);

    Cli.Result accepted = Cli.run("check-config", valid.toString());
    Cli.Result refused = Cli.run("check-config", invalid.toString());

    assertThat(accepted.exit()).isEqualTo(0);
    assertThat(accepted.out()).contains("GET https://front.example.org/")
        .contains("Authorization: <redacted>");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("checks.api.http.url: 'https://<redacted>@api example.org/'");
    assertThat(accepted.all() + refused.all()).doesNotContain("hunter2");
  }

  @Test
  void runWithAnInvalidConfigurationStartsNothingAndExitsWithTwo() throws IOException {
    Path file = write("bad.conf", "checks.front.http.url = 42\nserver.listen = \"127.0.0.1:0\"\n");

    Cli.Result result = Cli.run("--config", file.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("checks.front.http.url")
        .contains("is invalid, nothing was started");
  }

  @Test
  void helpVersionAndUsageErrors() {
    Cli.Result help = Cli.run("--help");
    Cli.Result version = Cli.run("--version");
    Cli.Result noConfig = Cli.run();
    Cli.Result unknownOption = Cli.run("--colour");

    assertThat(help.exit()).isEqualTo(0);
    assertThat(help.out()).contains("check-config").contains("phase");
    assertThat(version.exit()).isEqualTo(0);
    assertThat(version.out()).startsWith("migration-exporter ");
    assertThat(noConfig.exit()).isEqualTo(2);
    assertThat(noConfig.err()).contains("--config FILE");
    assertThat(unknownOption.exit()).isEqualTo(2);
  }
}

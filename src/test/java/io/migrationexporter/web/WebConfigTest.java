package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationexporter.cli.Main;
import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.ConfigProblem;
import io.migrationexporter.testing.TestExporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading the web configuration file: what loads, and the one line each mistake gets. */
class WebConfigTest {
  /** OpenBSD's own bcrypt test vector for "U*U"; $2y$ is the same algorithm under another name. */
  static final String U_STAR_U_2A = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
  static final String U_STAR_U_2Y = "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

  @TempDir
  static Path pkiDir;
  static TestPki pki;

  @TempDir
  Path dir;

  @BeforeAll
  static void certificates() throws Exception {
    pki = new TestPki(pkiDir).server("rsa", "rsa").traditional("rsa").server("ec", "ec")
        .traditional("ec").server("other", "ec").authority("ca");
  }

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("web.yml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private List<String> problems(String yaml) throws Exception {
    Path file = write(yaml);
    try {
      WebConfig.load(file);
    } catch (ConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString)
          .map(line -> line.replace(file.toString(), "web.yml"))
          .map(line -> line.replace(pkiDir.toString(), "PKI")).toList();
    }
    throw new AssertionError("the file loaded without problems");
  }

  @Test
  void aToolkitFileWithTlsAndUsersLoadsAndIsDescribedWithoutSecrets() throws Exception {
    WebConfig config = WebConfig.load(write("""
        # as the exporter-toolkit documents it
        tls_server_config:
          cert_file: %s
          key_file: %s
          min_version: TLS12
          prefer_server_cipher_suites: true
        http_server_config:
          http2: false
          headers:
            X-Frame-Options: deny
            X-Content-Type-Options: nosniff
        basic_auth_users:
          alice: %s
          bob: %s
        """.formatted(pki.file("rsa.crt"), pki.file("rsa.key"), U_STAR_U_2A, U_STAR_U_2Y)));

    assertThat(config.tls()).isTrue();
    assertThat(config.scheme()).isEqualTo("https");
    assertThat(config.describe())
        .contains("TLS (TLSv1.2, TLSv1.3)", "CN=127.0.0.1 (RSA)",
            "client certificates not requested", "basic auth for 2 users (alice, bob)",
            "headers X-Frame-Options, X-Content-Type-Options")
        .doesNotContain("HTTP/2", "$2", "CCCCCCCC", "BEGIN");
  }

  @Test
  void theExampleOfDocsSecurityMdLoads() throws Exception {
    String doc = Files.readString(Path.of("docs/security.md"));
    int start = doc.indexOf("```yaml\n# web.yml\n");
    assertThat(start).isNotNegative();
    String yaml = doc.substring(start + 8, doc.indexOf("```", start + 8));
    Files.createDirectories(dir.resolve("tls"));
    Files.copy(pki.file("ec.crt"), dir.resolve("tls/exporter.crt"));
    Files.copy(pki.file("ec.key"), dir.resolve("tls/exporter.key"));
    assertThat(WebConfig.load(write(yaml)).describe()).contains("TLS (TLSv1.2, TLSv1.3)",
        "basic auth for 2 users (prometheus, operator)", "headers Strict-Transport-Security");
  }

  @Test
  void anEmptyFileMeansPlainHttpWithoutAuthenticationAsInTheToolkit() throws Exception {
    WebConfig config = WebConfig.load(write("# nothing yet\n"));
    assertThat(config.tls()).isFalse();
    assertThat(config.describe()).endsWith(": plain HTTP; no authentication");
  }

  @ParameterizedTest
  @CsvSource({"rsa.crt, rsa.key", "rsa.crt, rsa.traditional.key", "ec.crt, ec.key",
      "ec.crt, ec.traditional.key"})
  void keysLoadAsPkcs8Pkcs1AndSec1(String certificate, String key) throws Exception {
    assertThat(Files.readString(pki.file(key))).startsWith(key.contains("traditional")
        ? (key.startsWith("rsa") ? "-----BEGIN RSA PRIVATE KEY" : "-----BEGIN EC PRIVATE KEY")
        : "-----BEGIN PRIVATE KEY");
    WebConfig config = WebConfig.load(write("""
        tls_server_config:
          cert_file: %s
          key_file: %s
        """.formatted(pki.file(certificate), pki.file(key))));
    assertThat(config.describe()).contains(key.startsWith("rsa") ? "(RSA)" : "(EC)");
  }

  @Test
  void certificatesAndKeysCanBeInlineAndFilesAreRelativeToTheWebConfigFile() throws Exception {
    Files.copy(pki.file("ec.crt"), dir.resolve("server.crt"));
    String key = Files.readString(pki.file("ec.key")).indent(4);
    WebConfig config = WebConfig.load(write("""
        tls_server_config:
          cert_file: server.crt
          key: |
        %s""".formatted(key)));
    assertThat(config.describe()).contains("(EC)");
  }

  @Test
  void everyMistakeIsOneLineWithFileLineAndKey() throws Exception {
    assertThat(problems("""
        tls_server_config:
          cert_file: %s
          key_file: %s
          client_auth_type: RequireAnyClientCert
          client_allowed_sans: [scraper]
        basic_auth_users:
          alice: $2y$10$too-short
          "bob:x": %s
        http_server_config:
          headers:
            X-Powered-By: migration-exporter
            X-Frame-Options: allow-from-anywhere
          htp2: true
        rate_limit:
          burst: 10
        tls_srever_config: {}
        """.formatted(pki.file("rsa.crt"), pki.file("rsa.key"), U_STAR_U_2A)))
        .containsExactlyInAnyOrder(
            "web.yml:5: tls_server_config.client_allowed_sans: not supported by migration-exporter:"
                + " give each client its own CA or put a reverse proxy in front (see"
                + " docs/security.md)",
            "web.yml:4: tls_server_config.client_auth_type: RequireAnyClientCert accepts any"
                + " certificate without verifying it and is not supported; use"
                + " RequireAndVerifyClientCert with client_ca_file",
            "web.yml:7: basic_auth_users.alice: not a bcrypt hash such as $2y$10$...: make one with"
                + " htpasswd -nBC 10 \"\" | tr -d ':\\n'",
            "web.yml:8: basic_auth_users.bob:x: a user name cannot be empty or contain ':'",
            "web.yml:11: http_server_config.headers.X-Powered-By: this header cannot be set; the"
                + " headers are Content-Security-Policy, X-Frame-Options, X-Content-Type-Options,"
                + " X-XSS-Protection, Strict-Transport-Security",
            "web.yml:12: http_server_config.headers.X-Frame-Options: 'allow-from-anywhere' is not"
                + " one of deny, sameorigin",
            "web.yml:13: http_server_config.htp2: unknown key; the keys here are http2, headers",
            "web.yml:14: rate_limit: not supported by migration-exporter: put a reverse proxy in"
                + " front to limit request rates",
            "web.yml:16: tls_srever_config: unknown key; the keys here are rate_limit,"
                + " tls_server_config, basic_auth_users, http_server_config");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedAtLoad() throws Exception {
    assertThat(problems("""
        tls_server_config:
          cert_file: %s
          key_file: %s
        """.formatted(pki.file("ec.crt"), pki.file("other.key"))))
        .containsExactly("web.yml:3: tls_server_config.key_file: the private key does not belong"
            + " to the certificate CN=127.0.0.1");
  }

  @Test
  void aKeyOfTheWrongTypeOrEncryptedOrMissingIsNamed() throws Exception {
    Path encrypted = dir.resolve("encrypted.key");
    Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
        + "-----END ENCRYPTED PRIVATE KEY-----\n");
    assertThat(problems("""
        tls_server_config:
          cert_file: %s
          key_file: %s
        """.formatted(pki.file("ec.crt"), pki.file("rsa.key"))))
        .containsExactly("web.yml:3: tls_server_config.key_file: the PRIVATE KEY is not a valid EC"
            + " key, the type of the certificate's key");
    assertThat(problems("""
        tls_server_config:
          cert_file: %s
          key_file: encrypted.key
        """.formatted(pki.file("ec.crt"))))
        .singleElement().asString().contains("the private key is encrypted");
    assertThat(problems("""
        tls_server_config:
          cert_file: %s
        """.formatted(pki.file("ec.crt"))))
        .containsExactly("web.yml:1: tls_server_config.key_file: missing: HTTPS needs key_file"
            + " (or key inline)");
    assertThat(problems("""
        tls_server_config:
          cert_file: %s
          key_file: nowhere.key
        """.formatted(pki.file("ec.crt"))))
        .singleElement().asString()
        .startsWith("web.yml:3: tls_server_config.key_file: cannot read file ")
        .endsWith("nowhere.key");
  }

  @Test
  void clientCertificatesNeedTheirCaAndTheCaNeedsAVerifyingMode() throws Exception {
    assertThat(problems("""
        tls_server_config:
          cert_file: %s
          key_file: %s
          client_auth_type: RequireAndVerifyClientCert
        """.formatted(pki.file("ec.crt"), pki.file("ec.key"))))
        .containsExactly("web.yml:4: tls_server_config.client_auth_type: RequireAndVerifyClientCert"
            + " needs client_ca_file, the CA that signs the clients' certificates");
    assertThat(problems("""
        tls_server_config:
          cert_file: %s
          key_file: %s
          client_ca_file: %s
        """.formatted(pki.file("ec.crt"), pki.file("ec.key"), pki.file("ca.crt"))))
        .containsExactly("web.yml:4: tls_server_config.client_ca_file: client CAs are set but"
            + " client_auth_type is NoClientCert; set RequireAndVerifyClientCert");
  }

  @Test
  void versionsAndCipherSuitesAreChecked() throws Exception {
    String tls = """
        tls_server_config:
          cert_file: %s
          key_file: %s
        """.formatted(pki.file("ec.crt"), pki.file("ec.key"));
    assertThat(problems(tls + "  min_version: TLS13\n  max_version: TLS12\n"))
        .containsExactly("web.yml:4: tls_server_config.min_version: is above max_version");
    assertThat(problems(tls + "  min_version: TLSv1.2\n"))
        .containsExactly("web.yml:4: tls_server_config.min_version: 'TLSv1.2' is not one of TLS10,"
            + " TLS11, TLS12, TLS13");
    assertThat(problems(tls + "  cipher_suites: [TLS_RSA_WITH_RC4_128_MD5]\n"))
        .containsExactly("web.yml:4: tls_server_config.cipher_suites: 'TLS_RSA_WITH_RC4_128_MD5' is"
            + " not a cipher suite this JVM supports");
    WebConfig goNames = WebConfig.load(write(tls + "  min_version: TLS13\n  cipher_suites:\n"
        + "    - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n"
        + "    - TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305\n"));
    assertThat(goNames.describe()).contains("TLS (TLSv1.3)");
  }

  @Test
  void anEmptyTlsSectionIsAnErrorNotASilentFallBackToPlainHttp() throws Exception {
    assertThat(problems("tls_server_config:\nbasic_auth_users:\n  alice: " + U_STAR_U_2A + "\n"))
        .containsExactly("web.yml:1: tls_server_config: is empty: give cert_file and key_file, or"
            + " remove it for plain HTTP");
  }

  @Test
  void yamlSyntaxErrorsNameTheLineButNeverQuoteTheFile() throws Exception {
    List<String> problems = problems("""
        basic_auth_users:
          alice: %s
          bob: [unclosed %s
        """.formatted(U_STAR_U_2A, U_STAR_U_2Y));
    assertThat(problems).singleElement().asString().startsWith("web.yml:").contains("invalid YAML")
        .doesNotContain("CCCCCCCC");
  }

  @Test
  void aKeyWrittenTwiceIsAnError() throws Exception {
    assertThat(problems("basic_auth_users:\n  alice: " + U_STAR_U_2A + "\n  alice: "
        + U_STAR_U_2Y + "\n"))
        .containsExactly("web.yml:3: basic_auth_users.alice: defined more than once (first on"
            + " line 2)");
  }

  @Test
  void checkConfigValidatesTheWebConfigFileAndRunRefusesToStartWithABadOne() throws Exception {
    Path config = dir.resolve("exporter.conf");
    Files.writeString(config, TestExporter.ONE_CHECK + """
        server.web-config-file = "web.yml"
        phases.state-file = "state.json"
        """);
    write("basic_auth_users:\n  alice: " + U_STAR_U_2A + "\n");
    Output valid = run("check-config", config.toString());
    assertThat(valid.status).isZero();
    assertThat(valid.out).contains("web: web configuration " + dir.resolve("web.yml")
        + ": plain HTTP; basic auth for 1 user (alice)").doesNotContain("CCCCCCCC");

    write("basic_auth_users:\n  alice: plaintext-password\n");
    Output invalid = run("check-config", config.toString());
    assertThat(invalid.status).isEqualTo(2);
    assertThat(invalid.err).contains(dir.resolve("web.yml") + ":2: basic_auth_users.alice: not a"
        + " bcrypt hash").doesNotContain("plaintext-password", "Exception", "\tat ");

    Output refused = run("--config", config.toString(), "--web.config.file",
        dir.resolve("web.yml").toString());
    assertThat(refused.status).isEqualTo(2);
    assertThat(refused.err).contains("basic_auth_users.alice: not a bcrypt hash",
        "is invalid, nothing was started");
    assertThat(dir.resolve("state.json")).doesNotExist();
  }

  @Test
  void aWebConfigFileThatDoesNotExistIsAConfigurationError() throws Exception {
    Path config = dir.resolve("exporter.conf");
    Files.writeString(config,
        TestExporter.ONE_CHECK + "server.web-config-file = \"missing.yml\"\n");
    Output output = run("check-config", config.toString());
    assertThat(output.status).isEqualTo(2);
    assertThat(output.err).contains(config + ":2: server.web-config-file: cannot read file "
        + dir.resolve("missing.yml"));
  }

  record Output(int status, String out, String err) {}

  /** Runs the command line with standard output and error captured. */
  static synchronized Output run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int status = Main.run(args);
      return new Output(status, outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}

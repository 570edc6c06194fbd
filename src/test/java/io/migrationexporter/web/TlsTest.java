package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationexporter.testing.TestExporter;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with certificates made by openssl, spoken to by the JDK's HTTP client on 127.0.0.1. */
class TlsTest {
  @TempDir
  static Path pkiDir;
  static TestPki pki;

  @TempDir
  Path dir;

  @BeforeAll
  static void certificates() throws Exception {
    pki = new TestPki(pkiDir).server("rsa", "rsa").traditional("rsa").server("ec", "ec")
        .traditional("ec").authority("clients-ca").client("scraper", "clients-ca")
        .authority("rogue-ca").client("intruder", "rogue-ca");
  }

  private TestExporter start(String yaml) throws Exception {
    Files.writeString(dir.resolve("web.yml"), yaml);
    return TestExporter.startTls(dir,
        "server.web-config-file = web.yml\n" + TestExporter.ONE_CHECK);
  }

  @Test
  void servesHttpsWithAPkcs1RsaKeyOverHttp11AndHttp2WhenAsked() throws Exception {
    try (TestExporter exporter = start("""
        tls_server_config:
          cert_file: %s
          key_file: %s
        http_server_config:
          http2: true
        """.formatted(pki.file("rsa.crt"), pki.file("rsa.traditional.key")))) {
      SSLContext trust = pki.clientContext("rsa.crt", null);
      HttpResponse<String> http11 = TestExporter.send(
          TestExporter.client(trust, HttpClient.Version.HTTP_1_1), exporter.request("/metrics"));
      assertThat(http11.statusCode()).isEqualTo(200);
      assertThat(http11.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(http11.body()).contains("migration_phase");

      HttpResponse<String> http2 = TestExporter.send(
          TestExporter.client(trust, HttpClient.Version.HTTP_2), exporter.request("/api/status"));
      assertThat(http2.statusCode()).isEqualTo(200);
      assertThat(http2.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }
  }

  /** Undertow cannot limit the rate of HTTP/2 PING and SETTINGS frames: HTTP/2 is asked for. */
  @Test
  void http2IsOffByDefault() throws Exception {
    try (TestExporter exporter = start("""
        tls_server_config:
          cert_file: %s
          key_file: %s
        """.formatted(pki.file("rsa.crt"), pki.file("rsa.key")))) {
      HttpResponse<String> answer = TestExporter.send(
          TestExporter.client(pki.clientContext("rsa.crt", null), HttpClient.Version.HTTP_2),
          exporter.request("/-/healthy"));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
  }

  @Test
  void servesHttpsWithASec1P256KeyAndRefusesPlainHttp() throws Exception {
    try (TestExporter exporter = start("""
        tls_server_config:
          cert_file: %s
          key_file: %s
        http_server_config:
          http2: false
        """.formatted(pki.file("ec.crt"), pki.file("ec.traditional.key")))) {
      HttpResponse<String> answer = TestExporter.send(
          TestExporter.client(pki.clientContext("ec.crt", null), HttpClient.Version.HTTP_2),
          exporter.request("/-/healthy"));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.version()).as("http2: false").isEqualTo(HttpClient.Version.HTTP_1_1);

      String plain = exporter.url("/-/healthy").replace("https:", "http:");
      assertThatThrownBy(() -> TestExporter.client(null, HttpClient.Version.HTTP_1_1).send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(plain))
              .timeout(TestExporter.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aClientBelowMinVersionIsRefused() throws Exception {
    try (TestExporter exporter = start("""
        tls_server_config:
          cert_file: %s
          key_file: %s
          min_version: TLS13
        """.formatted(pki.file("ec.crt"), pki.file("ec.key")))) {
      SSLContext trust = pki.clientContext("ec.crt", null);
      SSLParameters tls12 = new SSLParameters();
      tls12.setProtocols(new String[] {"TLSv1.2"});
      HttpClient old = HttpClient.newBuilder().sslContext(trust).sslParameters(tls12)
          .version(HttpClient.Version.HTTP_1_1).build();
      assertThatThrownBy(() -> TestExporter.send(old, exporter.request("/-/healthy")))
          .isInstanceOf(IOException.class);
      assertThat(TestExporter.send(TestExporter.client(trust, HttpClient.Version.HTTP_1_1),
          exporter.request("/-/healthy")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void requireAndVerifyClientCertLetsInOnlyClientsOfTheConfiguredCa() throws Exception {
    try (TestExporter exporter = start("""
        tls_server_config:
          cert_file: %s
          key_file: %s
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: %s
        """.formatted(pki.file("ec.crt"), pki.file("ec.key"), pki.file("clients-ca.crt")))) {
      HttpClient scraper = TestExporter.client(pki.clientContext("ec.crt", "scraper.p12"),
          HttpClient.Version.HTTP_1_1);
      assertThat(TestExporter.send(scraper, exporter.request("/metrics")).statusCode())
          .isEqualTo(200);

      HttpClient anonymous = TestExporter.client(pki.clientContext("ec.crt", null),
          HttpClient.Version.HTTP_1_1);
      assertThatThrownBy(() -> TestExporter.send(anonymous, exporter.request("/metrics")))
          .isInstanceOf(IOException.class);
      HttpClient intruder = TestExporter.client(pki.clientContext("ec.crt", "intruder.p12"),
          HttpClient.Version.HTTP_1_1);
      assertThatThrownBy(() -> TestExporter.send(intruder, exporter.request("/metrics")))
          .isInstanceOf(IOException.class);

      assertThat(TestExporter.send(scraper, exporter.request("/-/healthy")).statusCode())
          .as("still serving").isEqualTo(200);
    }
  }

  @Test
  void thePhaseCommandTalksHttpsWithBasicAuthAndTheAdminToken() throws Exception {
    Files.writeString(dir.resolve("admin.token"), "cli-admin-token-1234\n");
    Files.writeString(dir.resolve("password"), "U*U\n");
    Files.writeString(dir.resolve("web.yml"), """
        tls_server_config:
          cert_file: %s
          key_file: %s
        basic_auth_users:
          alice: %s
        """.formatted(pki.file("ec.crt"), pki.file("ec.key"), WebConfigTest.U_STAR_U_2A));
    try (TestExporter exporter = TestExporter.startTls(dir, """
        server.web-config-file = web.yml
        server.admin-token-file = admin.token
        """ + TestExporter.ONE_CHECK)) {
      String url = "https://127.0.0.1:" + exporter.port();
      String[] secured = {"--url", url, "--ca-file", pki.file("ec.crt").toString(), "--user",
          "alice", "--password-file", dir.resolve("password").toString()};
      WebConfigTest.Output set = WebConfigTest.run(concat(new String[] {"phase", "set",
          "maintenance", "--token-file", dir.resolve("admin.token").toString()}, secured));
      assertThat(set.status()).as(set.err()).isZero();
      assertThat(set.out()).startsWith("phase maintenance since ");
      WebConfigTest.Output get = WebConfigTest.run(concat(new String[] {"phase", "get"}, secured));
      assertThat(get.out()).startsWith("phase maintenance since ");

      WebConfigTest.Output anonymous = WebConfigTest.run("phase", "get", "--url", url,
          "--ca-file", pki.file("ec.crt").toString());
      assertThat(anonymous.status()).isEqualTo(1);
      assertThat(anonymous.err()).contains("HTTP 401");
    }
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  @Test
  void configuredHeadersAreOnEveryAnswerAndWinOverTheExportersOwn() throws Exception {
    try (TestExporter exporter = start("""
        tls_server_config:
          cert_file: %s
          key_file: %s
        http_server_config:
          headers:
            Strict-Transport-Security: max-age=31536000
            X-Frame-Options: sameorigin
        """.formatted(pki.file("ec.crt"), pki.file("ec.key")))) {
      HttpClient client = TestExporter.client(pki.clientContext("ec.crt", null),
          HttpClient.Version.HTTP_1_1);
      for (String path : new String[] {"/metrics", "/", "/no-such-page"}) {
        HttpResponse<String> answer = TestExporter.send(client, exporter.request(path));
        assertThat(answer.headers().firstValue("Strict-Transport-Security")).as(path)
            .hasValue("max-age=31536000");
        assertThat(answer.headers().allValues("X-Frame-Options")).as(path)
            .containsExactly("sameorigin");
      }
    }
  }
}

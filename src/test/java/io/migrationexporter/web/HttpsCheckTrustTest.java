package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP checks of an HTTPS target (an exporter serving TLS with a certificate of its own): without
 * a CA file the JDK's trust store verifies the certificate, set up only at the first HTTPS probe
 * (source.http's DeferredTlsContext), and refuses this one; with the check's CA file it is read.
 */
class HttpsCheckTrustTest {
  @TempDir
  static Path pkiDir;
  static TestPki pki;

  @TempDir
  Path targetDir;
  @TempDir
  Path proberDir;

  @BeforeAll
  static void certificates() throws Exception {
    pki = new TestPki(pkiDir).server("ec", "ec");
  }

  @Test
  void theDefaultTrustStoreRefusesAnUnknownCertificateWhichTheChecksCaFileAccepts()
      throws Exception {
    Files.writeString(targetDir.resolve("web.yml"), """
        tls_server_config:
          cert_file: %s
          key_file: %s
        """.formatted(pki.file("ec.crt"), pki.file("ec.key")));
    try (TestExporter target =
        TestExporter.startTls(targetDir, "server.web-config-file = web.yml")) {
      String url = target.url("/-/healthy");
      try (TestExporter prober = TestExporter.start(proberDir, """
          checks.default-trust.http.url = "%s"
          checks.own-ca.http { url = "%s", ca-file = "%s" }
          """.formatted(url, url, pki.file("ec.crt")))) {
        String metrics = TestExporter.send(TestExporter.client(null, HttpClient.Version.HTTP_1_1),
            prober.request("/metrics")).body();

        assertThat(metrics.lines()).anyMatch(line -> line.startsWith("migration_http_error{")
            && line.contains("check=\"default-trust\"") && line.contains("kind=\"tls\"")
            && line.endsWith(" 1.0"));
        assertThat(metrics.lines()).anyMatch(line -> line.startsWith("migration_http_status_code{")
            && line.contains("check=\"own-ca\"") && line.endsWith(" 200.0"));
        assertThat(metrics.lines()).noneMatch(line -> line.startsWith("migration_http_error{")
            && line.contains("check=\"own-ca\""));
      }
    }
  }
}

package io.migrationexporter.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.demo.fakes.FakeKubernetes;
import io.migrationexporter.testing.TestExporter;
import io.migrationexporter.web.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kubeconfig users with client certificates, against an API server that requires one signed by
 * its users' CA (certificates made by openssl in the test): RSA and EC keys, in PKCS#8, PKCS#1 and
 * SEC1, from files or inline data.
 */
class KubeconfigClientCertificateTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String CHECK = """
      sources.kubernetes.prod { kubeconfig = kubeconfig, interval = 200ms, timeout = 2s }
      checks.api { kubernetes-workloads { cluster = prod, names = [pix-api] } }
      """;

  @TempDir
  static Path pkiDir;
  static TestPki pki;
  static FakeKubernetes fake;
  static String caData;

  @TempDir
  Path dir;

  @BeforeAll
  static void apiServer() throws Exception {
    pki = new TestPki(pkiDir).server("api", "ec").authority("users-ca")
        .client("ec-user", "users-ca", "ec").traditional("ec-user")
        .client("rsa-user", "users-ca", "rsa").traditional("rsa-user")
        .authority("rogue-ca").client("intruder", "rogue-ca", "ec");
    caData = data("api.crt");
    fake = new FakeKubernetes();
    fake.startTlsRequiringClientCertificates(pki.serverContext("api", "users-ca"));
    fake.deployment("pix", "pix-api", 0, 0, 0);
  }

  @AfterAll
  static void stop() {
    if (fake != null) {
      fake.close();
    }
  }

  static String data(String file) throws Exception {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(pki.file(file)));
  }

  /** A kubeconfig whose user is {@code user}'s lines. */
  void kubeconfig(String user) throws Exception {
    Files.writeString(dir.resolve("kubeconfig"),
        KubernetesConfigTest.kubeconfig(fake.url(), caData, user));
  }

  @ParameterizedTest(name = "{0} key, {1}")
  @CsvSource({
      "ec-user, ec-user.key, files (PKCS#8)",
      "ec-user, ec-user.traditional.key, data (SEC1)",
      "rsa-user, rsa-user.key, files (PKCS#8)",
      "rsa-user, rsa-user.traditional.key, data (PKCS#1)"})
  void aUserWithAClientCertificateIsAuthenticatedByIt(String user, String key, String form)
      throws Exception {
    if (form.startsWith("files")) {
      kubeconfig("client-certificate: " + pki.file(user + ".crt") + "\nclient-key: "
          + pki.file(key));
    } else {
      kubeconfig("client-certificate-data: " + data(user + ".crt") + "\nclient-key-data: "
          + data(key));
    }
    fake.resetListCounters();
    try (TestExporter exporter = TestExporter.start(dir, CHECK)) {
      exporter.awaitSource("kubernetes:prod", true, WAIT);
      assertThat(exporter.checkStatus("api").path("value").asText())
          .isEqualTo("Deployment pix-api: scaled to zero, no pod left");
    }
    assertThat(fake.listsStarted(FakeKubernetes.listPath("pix", "deployments"))).isPositive();
  }

  @Test
  void aCertificateTheServerDoesNotTrustGetsNoAnswer() throws Exception {
    kubeconfig("client-certificate: " + pki.file("intruder.crt") + "\nclient-key: "
        + pki.file("intruder.key"));
    fake.resetListCounters();
    try (TestExporter exporter = TestExporter.start(dir, CHECK)) {
      JsonNode down = exporter.awaitSource("kubernetes:prod", false, WAIT);
      assertThat(down.path("last_error_kind").asText()).isEqualTo("transport");
      assertThat(exporter.checkStatus("api").path("state").asText()).isEqualTo("unknown");
    }
    assertThat(fake.listsStarted(FakeKubernetes.listPath("pix", "deployments"))).isZero();
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsOneClearMessageWithoutTheKey() throws Exception {
    String keyText = Files.readString(pki.file("intruder.key"));
    String keyLine = keyText.lines().filter(line -> !line.startsWith("-----")).findFirst()
        .orElseThrow();
    Path config = dir.resolve("kubeconfig");

    kubeconfig("client-certificate: " + pki.file("ec-user.crt") + "\nclient-key-data: "
        + data("intruder.key"));
    String refusal = TestExporter.refusal(dir, CHECK);
    assertThat(refusal).contains("sources.kubernetes.prod.kubeconfig: user 'exporter' of " + config
        + ": its client key does not belong to its client certificate CN=ec-user")
        .doesNotContain(keyLine).doesNotContain(data("intruder.key"));

    kubeconfig("client-certificate: " + pki.file("ec-user.crt") + "\nclient-key: "
        + pki.file("rsa-user.key"));
    assertThat(TestExporter.refusal(dir, CHECK)).contains("user 'exporter' of " + config
        + ": its client key cannot be read: the PRIVATE KEY is not a valid EC key");

    kubeconfig("client-certificate-data: " + data("ec-user.crt"));
    assertThat(TestExporter.refusal(dir, CHECK)).contains("user 'exporter' of " + config
        + ": has a client certificate but no client-key(-data)");

    kubeconfig("client-certificate-data: " + data("ec-user.crt") + "\nclient-key-data: '%%%'");
    assertThat(TestExporter.refusal(dir, CHECK)).contains("user 'exporter' of " + config
        + ": its client key cannot be read: no PEM block (-----BEGIN ...-----) found");
  }
}

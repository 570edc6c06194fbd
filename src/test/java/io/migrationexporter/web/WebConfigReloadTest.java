package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.testing.TestExporter;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web configuration file is read again on every reload: a renewed certificate and a changed
 * user list take effect without a restart, an invalid file or a change the listener cannot take
 * refuses the whole reload and the old settings stay.
 */
class WebConfigReloadTest {
  private static final String ALICE = TestExporter.basic("alice", "U*U");
  private static final String BOB = TestExporter.basic("bob", "U*U");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path pkiDir;
  static TestPki pki;

  @TempDir
  Path dir;

  @BeforeAll
  static void certificates() throws Exception {
    pki = new TestPki(pkiDir).server("old", "ec").server("renewed", "ec")
        .authority("clients-ca");
  }

  private void installCertificate(String name) throws IOException {
    Files.copy(pki.file(name + ".crt"), dir.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(pki.file(name + ".key"), dir.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
  }

  private void writeWebConfig(String yaml) throws IOException {
    Files.writeString(dir.resolve("web.yml"), yaml);
  }

  private static HttpClient plain() {
    return TestExporter.client(null, HttpClient.Version.HTTP_1_1);
  }

  private static HttpClient trusting(String certificate) throws Exception {
    return TestExporter.client(pki.clientContext(certificate, null), HttpClient.Version.HTTP_1_1);
  }

  private static HttpResponse<String> get(HttpClient client, TestExporter exporter, String path,
      String authorization) throws Exception {
    HttpRequest.Builder request = exporter.request(path).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return TestExporter.send(client, request);
  }

  private static HttpResponse<String> reload(HttpClient client, TestExporter exporter,
      String authorization) throws Exception {
    HttpRequest.Builder request = exporter.request("/-/reload")
        .POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return TestExporter.send(client, request);
  }

  @Test
  void aRenewedCertificateIsServedToNewConnectionsAfterAReload() throws Exception {
    installCertificate("old");
    writeWebConfig("tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n");
    try (TestExporter exporter = TestExporter.startTls(dir, "server.enable-lifecycle = true\nserver.web-config-file = web.yml")) {
      assertThat(get(trusting("old.crt"), exporter, "/-/healthy", null).statusCode())
          .isEqualTo(200);
      assertThatThrownBy(() -> get(trusting("renewed.crt"), exporter, "/-/healthy", null))
          .as("the renewed certificate is not served yet").isInstanceOf(IOException.class);

      installCertificate("renewed");
      HttpResponse<String> reloaded = reload(trusting("old.crt"), exporter, null);

      assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
      assertThat(get(trusting("renewed.crt"), exporter, "/metrics", null).statusCode())
          .isEqualTo(200);
      assertThatThrownBy(() -> get(trusting("old.crt"), exporter, "/-/healthy", null))
          .as("a new connection gets the renewed certificate").isInstanceOf(IOException.class);
    }
  }

  @Test
  void usersAddedAndRemovedTakeEffectAtTheReload() throws Exception {
    writeWebConfig("basic_auth_users:\n  alice: " + WebConfigTest.U_STAR_U_2A + "\n");
    try (TestExporter exporter = TestExporter.start(dir, "server.enable-lifecycle = true\nserver.web-config-file = web.yml")) {
      HttpClient client = plain();
      assertThat(get(client, exporter, "/metrics", ALICE).statusCode()).isEqualTo(200);
      assertThat(get(client, exporter, "/metrics", BOB).statusCode()).isEqualTo(401);

      writeWebConfig("basic_auth_users:\n  bob: " + WebConfigTest.U_STAR_U_2Y + "\n");
      HttpResponse<String> reloaded = reload(client, exporter, ALICE);

      assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
      assertThat(get(client, exporter, "/metrics", BOB).statusCode()).isEqualTo(200);
      assertThat(get(client, exporter, "/metrics", ALICE).statusCode())
          .as("removed, even though her password was checked a moment ago").isEqualTo(401);
    }
  }

  @Test
  void anInvalidWebConfigurationRefusesTheWholeReloadAndTheOldStays() throws Exception {
    writeWebConfig("basic_auth_users:\n  alice: " + WebConfigTest.U_STAR_U_2A + "\n");
    try (TestExporter exporter = TestExporter.start(dir, "server.enable-lifecycle = true\nserver.web-config-file = web.yml")) {
      HttpClient client = plain();
      writeWebConfig("basic_auth_users:\n  alice: not-a-bcrypt-hash\n");
      Files.writeString(exporter.configFile(), Files.readString(exporter.configFile())
          + "\nphases.current = maintenance\n");

      HttpResponse<String> refused = reload(client, exporter, ALICE);

      assertThat(refused.statusCode()).isEqualTo(400);
      JsonNode answer = JSON.readTree(refused.body());
      assertThat(answer.path("status").asText()).isEqualTo("refused");
      assertThat(answer.path("problems").get(0).asText())
          .startsWith(dir.resolve("web.yml") + ":2: basic_auth_users.alice: ");
      assertThat(get(client, exporter, "/metrics", ALICE).statusCode()).isEqualTo(200);
      assertThat(exporter.exporter().runtime().phases().state().current())
          .as("nothing of the refused reload applies").isEqualTo("preparation");
    }
  }

  @Test
  void aChangeTheListenerCannotTakeIsRefusedWithTheReasonAndTheOldStays() throws Exception {
    installCertificate("old");
    writeWebConfig("tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n");
    try (TestExporter exporter = TestExporter.startTls(dir, "server.enable-lifecycle = true\nserver.web-config-file = web.yml")) {
      writeWebConfig("""
          tls_server_config:
            cert_file: tls.crt
            key_file: tls.key
            client_auth_type: RequireAndVerifyClientCert
            client_ca_file: %s
          """.formatted(pki.file("clients-ca.crt")));

      HttpResponse<String> refused = reload(trusting("old.crt"), exporter, null);

      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(refused.body()).path("problems").get(0).asText()).isEqualTo(
          dir.resolve("web.yml") + ": tls_server_config.client_auth_type changed, which the"
              + " running listener cannot change: restart the exporter to apply it");
      assertThat(get(trusting("old.crt"), exporter, "/-/healthy", null).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void switchingToHttpsIsRefused() throws Exception {
    try (TestExporter exporter = TestExporter.start(dir, "server.enable-lifecycle = true")) {
      installCertificate("old");
      writeWebConfig("tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n");
      Files.writeString(exporter.configFile(), "server.enable-lifecycle = true\nserver.web-config-file = web.yml\n"
          + Files.readString(exporter.configFile()));

      HttpResponse<String> refused = reload(plain(), exporter, null);

      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("tls_server_config is added (plain HTTP to HTTPS)");
      assertThat(get(plain(), exporter, "/-/healthy", null).statusCode())
          .isEqualTo(200);
    }
  }
}

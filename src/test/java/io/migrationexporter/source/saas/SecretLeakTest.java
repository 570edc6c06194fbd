package io.migrationexporter.source.saas;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.cli.Main;
import io.migrationexporter.demo.fakes.Fault;
import io.migrationexporter.demo.fakes.FakeDatadog;
import io.migrationexporter.demo.fakes.FakeFreshping;
import io.migrationexporter.demo.fakes.FakeKubernetes;
import io.migrationexporter.demo.fakes.FakeScalingo;
import io.migrationexporter.demo.fakes.FakeServer;
import io.migrationexporter.testing.RawLogCapture;
import io.migrationexporter.testing.TestExporter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Feeds sentinel credentials through every fault of every SaaS source and looks for them in
 * everything the exporter prints or serves. Log records are captured raw, before the redactor of
 * the log formatter, so that a leak the redactor would hide still fails here.
 */
class SecretLeakTest {
  static final String SCALINGO_TOKEN = "tk-us-SENTINEL-scalingo-7f3a9c";
  static final String FRESHPING_KEY = "SENTINEL-freshping-key-51b2e0";
  static final String DD_API_KEY = "SENTINEL-dd-api-key-0c8d44";
  static final String DD_APP_KEY = "SENTINEL-dd-app-key-93e1aa";
  static final String KUBERNETES_TOKEN = "SENTINEL-kubernetes-token-6d20b7";
  static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  @Test
  void noCredentialIsEverPrintedOrServed() throws Exception {
    StringBuilder served = new StringBuilder();
    try (RawLogCapture capture = RawLogCapture.install();
         FakeScalingo scalingo = new FakeScalingo(Clock.systemUTC());
         FakeFreshping freshping = new FakeFreshping(FRESHPING_KEY, "pix");
         FakeDatadog datadog = new FakeDatadog(DD_API_KEY, DD_APP_KEY);
         FakeKubernetes kubernetes = new FakeKubernetes()) {
      kubernetes.start();
      kubernetes.acceptToken(KUBERNETES_TOKEN);
      kubernetes.deployment("pix", "pix-api", 1, 1, 1).pod("pix", "pix-api-1", "pix-api");
      Files.writeString(dir.resolve("kubernetes-token"), KUBERNETES_TOKEN);
      scalingo.start();
      freshping.start();
      datadog.start();
      scalingo.acceptToken(SCALINGO_TOKEN);
      scalingo.app("pix-api").scale("web", 1).database("ad-1").backups(true);
      freshping.check(1, "Pix App", "AV");
      datadog.log(Instant.now().minusSeconds(5), "one-off-1", "pix-api", "Altering x - In progress");
      String config = """
          sources.scalingo.pix {
            token = "%s", api-url = "%s", db-api-url = "%s", auth-url = "%s"
            interval = 200ms, timeout = 1s
            apps { pix-api { database {} } }
          }
          sources.freshping.pix { api-key = "%s", subdomain = pix, url = "%s", interval = 200ms, timeout = 1s }
          sources.datadog.pix {
            url = "%s", api-key = "%s", application-key = "%s", timeout = 1s
            logs { steps {
              query = "service:pix-api", interval = 200ms
              migrations { m { steps = [ { name = x, start = "Altering x - In progress" } ] } }
            } }
          }
          sources.kubernetes.pix {
            api-url = "%s", token-file = kubernetes-token, namespace = pix
            interval = 200ms, timeout = 1s
          }
          checks {
            pods { kubernetes-workloads { cluster = pix, names = [pix-api] } }
            api { scalingo-containers { account = pix, app = pix-api } }
            backups { scalingo-backups { account = pix, app = pix-api } }
            monitoring { freshping { account = pix, all = true } }
          }
          """.formatted(SCALINGO_TOKEN, scalingo.url(), scalingo.url(), scalingo.url(),
          FRESHPING_KEY, freshping.apiUrl(), datadog.url(), DD_API_KEY, DD_APP_KEY,
          kubernetes.url());
      try (TestExporter exporter = TestExporter.start(dir, config)) {
        for (String id : List.of("scalingo:pix/pix-api", "scalingo-database:pix/pix-api",
            "freshping:pix", "datadog-logs:pix/steps", "kubernetes:pix")) {
          exporter.awaitSource(id, true, WAIT);
        }
        for (Fault fault : Fault.values()) {
          for (FakeServer fake : List.of(scalingo, freshping, datadog, kubernetes)) {
            fake.slowDelay(Duration.ofSeconds(2));
            fake.fault(fault);
          }
          // A 404 on a Scalingo app is a reading (the app does not exist), not a failure.
          List<String> failing = fault == Fault.NOT_FOUND
              ? List.of("freshping:pix", "datadog-logs:pix/steps", "kubernetes:pix")
              : List.of("scalingo:pix/pix-api", "freshping:pix", "datadog-logs:pix/steps",
                  "kubernetes:pix");
          for (String id : failing) {
            exporter.awaitSource(id, false, WAIT);
          }
          served.append(exporter.served());
          for (FakeServer fake : List.of(scalingo, freshping, datadog, kubernetes)) {
            fake.clearFaults();
          }
          exporter.awaitSource("freshping:pix", true, WAIT);
        }
        // Credentials refused: a revoked API token, an expired JWT mid-run.
        scalingo.expireIssuedJwts();
        scalingo.revokeTokens();
        kubernetes.revokeTokens();
        exporter.awaitSource("scalingo:pix/pix-api", false, WAIT);
        exporter.awaitSource("kubernetes:pix", false, WAIT);
        served.append(exporter.served());
        served.append(checkConfig(exporter.configFile()));
        List<String> sentinels = new ArrayList<>(List.of(SCALINGO_TOKEN, FRESHPING_KEY,
            DD_API_KEY, DD_APP_KEY, KUBERNETES_TOKEN));
        sentinels.addAll(scalingo.issuedCredentials());
        assertThat(scalingo.issuedCredentials()).as("JWTs and add-on tokens were issued").hasSizeGreaterThan(2);
        assertThat(served.toString()).contains("last_error").contains("scalingo:pix/pix-api");
        assertThat(capture.text()).contains("refresh failed");
        for (String sentinel : sentinels) {
          assertThat(served.toString()).as("served").doesNotContain(sentinel);
          assertThat(capture.text()).as("logged").doesNotContain(sentinel);
        }
      }
    }
  }

  private static String checkConfig(Path config) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = new CommandLine(new Main());
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    int status = line.execute("check-config", config.toString());
    assertThat(status).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Scalingo app pix-api", "Freshping account pix",
        "Datadog logs", "Kubernetes cluster pix");
    return out.toString() + err;
  }
}

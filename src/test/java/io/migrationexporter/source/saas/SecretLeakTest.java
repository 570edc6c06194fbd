package io.migrationexporter.source.saas;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.demo.fakes.Fault;
import io.migrationexporter.demo.fakes.FakeScalingo;
import io.migrationexporter.testing.RawLogCapture;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credentials an upstream issues at run time never show: the contract every kind passes
 * (KindContractTest) looks for the configured secrets of every kind through hostile answers, but
 * only a real exchange issues JWTs and add-on tokens. Here the Scalingo fake issues them, then
 * fails every way with them in hand, expires and revokes them, and they are looked for in
 * everything the exporter serves and logs (captured raw, before the redactor).
 */
class SecretLeakTest {
  static final String SCALINGO_TOKEN = "tk-us-SENTINEL-scalingo-7f3a9c";
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String APP = "scalingo:pix/pix-api";
  static final String DATABASE = "scalingo-database:pix/pix-api";

  @TempDir
  Path dir;

  @Test
  void noIssuedCredentialIsEverPrintedOrServed() throws Exception {
    StringBuilder served = new StringBuilder();
    try (RawLogCapture capture = RawLogCapture.install();
         FakeScalingo scalingo = new FakeScalingo(Clock.systemUTC())) {
      scalingo.start();
      scalingo.acceptToken(SCALINGO_TOKEN);
      scalingo.app("pix-api").scale("web", 1).database("ad-1").backups(true);
      String config = """
          sources.scalingo.pix {
            token = "%s", api-url = "%s", db-api-url = "%s", auth-url = "%s"
            interval = 200ms, timeout = 1s
            apps { pix-api { database {} } }
          }
          checks {
            api { scalingo-containers { account = pix, app = pix-api } }
            backups { scalingo-backups { account = pix, app = pix-api } }
          }
          """.formatted(SCALINGO_TOKEN, scalingo.url(), scalingo.url(), scalingo.url());
      try (TestExporter exporter = TestExporter.start(dir, config)) {
        exporter.awaitSource(APP, true, WAIT);
        exporter.awaitSource(DATABASE, true, WAIT);
        scalingo.slowDelay(Duration.ofSeconds(2));
        for (Fault fault : Fault.values()) {
          // A 404 on a Scalingo app is a reading (the app does not exist), not a failure.
          if (fault != Fault.NOT_FOUND) {
            scalingo.fault(fault);
            exporter.awaitSource(APP, false, WAIT);
            served.append(exporter.served());
          }
          scalingo.clearFaults();
          exporter.awaitSource(APP, true, WAIT);
        }
        // Credentials refused: a revoked API token, an expired JWT mid-run.
        scalingo.expireIssuedJwts();
        scalingo.revokeTokens();
        exporter.awaitSource(APP, false, WAIT);
        served.append(exporter.served());
      }
      List<String> sentinels = new ArrayList<>(List.of(SCALINGO_TOKEN));
      sentinels.addAll(scalingo.issuedCredentials());
      assertThat(scalingo.issuedCredentials()).as("JWTs and add-on tokens were issued")
          .hasSizeGreaterThan(2);
      assertThat(served.toString()).contains("last_error").contains(APP);
      assertThat(capture.text()).contains("refresh failed");
      for (String sentinel : sentinels) {
        assertThat(served.toString()).as("served").doesNotContain(sentinel);
        assertThat(capture.text()).as("logged").doesNotContain(sentinel);
      }
    }
  }
}

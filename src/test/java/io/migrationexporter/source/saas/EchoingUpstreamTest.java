package io.migrationexporter.source.saas;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.collect.Reading;
import io.migrationexporter.demo.fakes.FakeFreshping;
import io.migrationexporter.demo.fakes.FakeScalingo;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 finding 7: an upstream answer that echoes the request's headers put the Freshping key
 * (base64 in a Basic header) and the Scalingo bearer token into {@code /metrics} labels, in all
 * three formats, at any length. Here the fakes echo the headers into a check name and a container
 * type, which become label values.
 */
class EchoingUpstreamTest {
  static final String SCALINGO_TOKEN = "tk-us-ECHOED-scalingo-3b7e21";
  static final String FRESHPING_KEY = "ECHOED-freshping-key-6d0f9a";
  static final String ECHO = "ECHO-HERE";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  void echoedCredentialsNeverBecomeLabelValuesInAnyFormat() throws Exception {
    try (FakeScalingo scalingo = new FakeScalingo(Clock.systemUTC());
         FakeFreshping freshping = new FakeFreshping(FRESHPING_KEY, "pix")) {
      scalingo.start();
      freshping.start();
      scalingo.acceptToken(SCALINGO_TOKEN);
      scalingo.app("pix-api").scale("web", 1).scale(ECHO, 1);
      freshping.check(1, "Pix App " + ECHO, "AV");
      scalingo.echoHeaders(ECHO);
      freshping.echoHeaders(ECHO);
      String config = """
          sources.scalingo.pix {
            token = "%s", api-url = "%s", db-api-url = "%s", auth-url = "%s"
            interval = 200ms, timeout = 2s
            apps { pix-api {} }
          }
          sources.freshping.pix { api-key = "%s", subdomain = pix, url = "%s", interval = 200ms, timeout = 2s }
          checks {
            api { scalingo-containers { account = pix, app = pix-api } }
            monitoring { freshping { account = pix, all = true } }
          }
          """.formatted(SCALINGO_TOKEN, scalingo.url(), scalingo.url(), scalingo.url(),
          FRESHPING_KEY, freshping.apiUrl());
      try (TestExporter exporter = TestExporter.start(dir, config)) {
        exporter.awaitSource("scalingo:pix/pix-api", true, WAIT);
        exporter.awaitSource("freshping:pix", true, WAIT);
        Await.until("the echoed headers in the labels", () ->
            exporter.metrics().contains("User-Agent"), WAIT);

        List<String> served = new ArrayList<>();
        served.add(exporter.metrics());
        HttpResponse<String> openMetrics = exporter.get("/metrics", "Accept", OPENMETRICS);
        assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
            .startsWith("application/openmetrics-text");
        served.add(openMetrics.body());
        Scrape protobuf = exporter.scrape();
        protobuf.all().forEach(series -> served.add(series.labels().toString()));
        served.add(exporter.get("/api/status").body());

        List<String> sentinels = new ArrayList<>(List.of(SCALINGO_TOKEN, FRESHPING_KEY,
            base64(FRESHPING_KEY + ":pix"), base64(":" + SCALINGO_TOKEN)));
        sentinels.addAll(scalingo.issuedCredentials());
        assertThat(String.join("\n", served)).contains("Authorization: Basic <redacted>",
            "Authorization: Bearer <redacted>").doesNotContain(sentinels);
        assertThat(protobuf.all()).allSatisfy(series -> assertThat(series.labels().values())
            .allSatisfy(value -> assertThat(value.length()).isLessThanOrEqualTo(
                Reading.LABEL_LIMIT)));
      }
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}

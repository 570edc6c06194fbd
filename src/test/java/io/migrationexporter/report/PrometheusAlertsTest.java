package io.migrationexporter.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.migrationexporter.report.Night.Alert;
import io.migrationexporter.report.Night.Alerts;
import io.migrationexporter.testing.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reading the night's alerts from Prometheus's {@code ALERTS}. The recorded answer
 * (report/alerts-query-range.json) is Debian's Prometheus's, for {@code
 * ALERTS{alertstate="firing"}} from 1796479580 to 1796479670 step 5, evaluating every second
 * CheckFailing ({@code vector(1)} with check, app and instance labels) and MigrationSilent
 * (firing 20 s in every 40).
 */
class PrometheusAlertsTest {
  private static final Duration STEP = Duration.ofSeconds(5);
  private static final Instant END = Instant.ofEpochSecond(1796479670);

  @Test
  void eachSeriesSamplesAreMergedIntoFiringPeriods() throws IOException {
    Alerts alerts = PrometheusAlerts.parse(200, recorded(), STEP, END, "http://prometheus:9090");

    assertThat(alerts.unread()).isEmpty();
    Map<String, String> checkLabels = Map.of("check", "pix-api", "app", "pix",
        "instance", "10.0.0.7:9185");
    Map<String, String> migrationLabels = Map.of("migration", "orders");
    assertThat(alerts.fired()).containsExactly(
        new Alert("CheckFailing", "warning", checkLabels, at(1796479580), Optional.empty()),
        new Alert("MigrationSilent", "critical", migrationLabels, at(1796479580),
            Optional.of(at(1796479580))),
        new Alert("MigrationSilent", "critical", migrationLabels, at(1796479605),
            Optional.of(at(1796479620))),
        new Alert("MigrationSilent", "critical", migrationLabels, at(1796479645),
            Optional.of(at(1796479660))));
    assertThat(alerts.fired().get(0).about())
        .isEqualTo("check=pix-api, app=pix, instance=10.0.0.7:9185");
  }

  @Test
  void noSeriesIsNoAlertAndAnErrorOrGarbageIsWhyTheyWereNotRead() {
    String shown = "http://prometheus:9090";

    assertThat(PrometheusAlerts.parse(200, "{\"status\":\"success\",\"data\":{\"resultType\":"
        + "\"matrix\",\"result\":[]}}", STEP, END, shown)).isEqualTo(Alerts.read(List.of()));
    assertThat(PrometheusAlerts.parse(400, "{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"exceeded maximum resolution\"}", STEP, END, shown).unread()).contains(
            "could not be read from http://prometheus:9090: HTTP 400: exceeded maximum"
                + " resolution");
    assertThat(PrometheusAlerts.parse(200, "<html>Grafana</html>", STEP, END, shown).unread())
        .contains("could not be read from http://prometheus:9090: HTTP 200, not Prometheus's"
            + " JSON");
    assertThat(PrometheusAlerts.parse(404, "{\"hello\":1}", STEP, END, shown).unread())
        .contains("could not be read from http://prometheus:9090: HTTP 404, not a Prometheus"
            + " query answer");
  }

  @Test
  void theStepKeepsUnder11000PointsAndAtLeast15Seconds() {
    Instant from = at(1796479580);

    assertThat(PrometheusAlerts.step(from, from.plusSeconds(60))).isEqualTo(Duration.ofSeconds(15));
    assertThat(PrometheusAlerts.step(from, from.plus(Duration.ofHours(12))))
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(PrometheusAlerts.step(from, from.plus(Duration.ofHours(72))))
        .as("259,200 s in 11,000 points").isEqualTo(Duration.ofSeconds(24));
  }

  @Test
  void anUnreachablePrometheusIsWhyTheyWereNotReadWithoutItsPassword() {
    int port = Ports.closed();
    Instant now = Instant.now();

    Alerts alerts = PrometheusAlerts.read(URI.create("http://night:s3cret@127.0.0.1:" + port),
        Optional.of("t0ken"),
        now.minus(Duration.ofHours(1)), now);

    assertThat(alerts.fired()).isEmpty();
    assertThat(alerts.unread()).hasValueSatisfying(why -> assertThat(why)
        .startsWith("could not be read from http://127.0.0.1:" + port + ": ")
        .doesNotContain("s3cret", "night:", "t0ken"));
  }

  @Test
  void basicAuthAndABearerTokenAreSentAndARefusalIsWhy() throws IOException {
    List<String> authorizations = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/query_range", exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(authorization);
      boolean allowed = "Basic bmlnaHQ6czNjcmV0".equals(authorization)
          || "Bearer t0ken".equals(authorization);
      byte[] body = (allowed ? "{\"status\":\"success\",\"data\":{\"result\":[]}}"
          : "Unauthorized").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      String base = "127.0.0.1:" + server.getAddress().getPort();
      Instant now = Instant.now();
      Instant hourAgo = now.minus(Duration.ofHours(1));

      Alerts basic = PrometheusAlerts.read(URI.create("http://night:s3cret@" + base),
          Optional.empty(), hourAgo, now);
      Alerts bearer = PrometheusAlerts.read(URI.create("http://" + base), Optional.of("t0ken"),
          hourAgo, now);
      Alerts refused = PrometheusAlerts.read(URI.create("http://" + base), Optional.empty(),
          hourAgo, now);

      assertThat(authorizations).containsExactly("Basic bmlnaHQ6czNjcmV0", "Bearer t0ken", null);
      assertThat(basic).isEqualTo(Alerts.read(List.of()));
      assertThat(bearer).isEqualTo(Alerts.read(List.of()));
      assertThat(refused.unread()).contains("could not be read from http://" + base
          + ": HTTP 401, not Prometheus's JSON");
    } finally {
      server.stop(0);
    }
  }

  private static Instant at(long epochSecond) {
    return Instant.ofEpochSecond(epochSecond);
  }

  private static String recorded() throws IOException {
    try (InputStream in = PrometheusAlertsTest.class
        .getResourceAsStream("/report/alerts-query-range.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

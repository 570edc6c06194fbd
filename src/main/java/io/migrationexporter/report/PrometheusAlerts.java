package io.migrationexporter.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.report.Night.Alert;
import io.migrationexporter.report.Night.Alerts;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The night's alerts from Prometheus: its {@code ALERTS} series of firing alerts over the report's
 * window, each series' samples merged into firing periods.
 */
public final class PrometheusAlerts {
  /** What the report says when no Prometheus was given. */
  static final String NOT_ASKED = "not read: give report --prometheus URL to tell them";
  static final String QUERY = "ALERTS{alertstate=\"firing\"}";
  /** The labels that tell what an alert is about, in the order the report shows them. */
  private static final List<String> ABOUT = List.of("migration", "check", "app", "instance");
  /** Prometheus answers at most 11,000 points a series; 15 s is its usual evaluation interval. */
  private static final long MAX_POINTS = 11_000;
  private static final Duration MIN_STEP = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  private PrometheusAlerts() {}

  /**
   * The alerts that fired between {@code from} and {@code to} (or now, if earlier), read from the
   * Prometheus at {@code base} ({@code http://user:password@host:9090} for basic auth, or a
   * {@code bearerToken}); never throws: what went wrong is the reason they were not read.
   */
  public static Alerts read(URI base, Optional<String> bearerToken, Instant from, Instant to) {
    Instant end = to.isAfter(Instant.now()) ? Instant.now() : to;
    String shown = withoutCredentials(base);
    if (!end.isAfter(from)) {
      return Alerts.read(List.of());
    }
    Duration step = step(from, end);
    String url = shown.replaceAll("/+$", "") + "/api/v1/query_range?query="
        + URLEncoder.encode(QUERY, StandardCharsets.UTF_8) + "&start=" + from.getEpochSecond()
        + "&end=" + (end.getEpochSecond() + 1) + "&step=" + step.toSeconds();
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(30)).GET();
      if (base.getRawUserInfo() != null) {
        request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            base.getUserInfo().getBytes(StandardCharsets.UTF_8)));
      }
      bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
      HttpResponse<String> response = HTTP.send(request.build(),
          HttpResponse.BodyHandlers.ofString());
      return parse(response.statusCode(), response.body(), step, Instant.ofEpochSecond(
          end.getEpochSecond() + 1), shown);
    } catch (IOException | IllegalArgumentException e) {
      return Alerts.notRead(couldNot(shown, e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Alerts.notRead(couldNot(shown, "interrupted"));
    }
  }

  /** A step giving at most 11,000 points over the window, and at least 15 s. */
  static Duration step(Instant from, Instant to) {
    Duration perPoint = Duration.ofSeconds(
        (Duration.between(from, to).toSeconds() + MAX_POINTS - 1) / MAX_POINTS);
    return perPoint.compareTo(MIN_STEP) > 0 ? perPoint : MIN_STEP;
  }

  /**
   * The alerts of a query_range answer: samples of one series less than two steps apart are one
   * period; a period whose last sample is the query's {@code end} is still firing.
   */
  static Alerts parse(int status, String body, Duration step, Instant end, String shown) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return Alerts.notRead(couldNot(shown, "HTTP " + status + ", not Prometheus's JSON"));
    }
    if (answer == null || !answer.path("status").asText().equals("success")) {
      String error = answer == null ? "" : answer.path("error").asText("");
      return Alerts.notRead(couldNot(shown, "HTTP " + status
          + (error.isEmpty() ? ", not a Prometheus query answer" : ": " + error)));
    }
    List<Alert> fired = new ArrayList<>();
    for (JsonNode series : answer.path("data").path("result")) {
      JsonNode metric = series.path("metric");
      Map<String, String> about = new LinkedHashMap<>();
      for (String label : ABOUT) {
        if (metric.hasNonNull(label)) {
          about.put(label, metric.get(label).asText());
        }
      }
      String name = metric.path("alertname").asText("?");
      String severity = metric.path("severity").asText("");
      Instant start = null;
      Instant last = null;
      for (JsonNode sample : series.path("values")) {
        Instant at = Instant.ofEpochMilli(Math.round(sample.path(0).asDouble() * 1000));
        if (last != null && Duration.between(last, at).compareTo(step.multipliedBy(2)) >= 0) {
          fired.add(new Alert(name, severity, about, start, Optional.of(last)));
          start = null;
        }
        start = start == null ? at : start;
        last = at;
      }
      if (start != null) {
        boolean stillFiring = Duration.between(last, end).compareTo(step) < 0;
        fired.add(new Alert(name, severity, about, start,
            stillFiring ? Optional.empty() : Optional.of(last)));
      }
    }
    fired.sort(Comparator.comparing(Alert::from).thenComparing(Alert::name));
    return Alerts.read(fired);
  }

  private static String couldNot(String shown, String why) {
    return "could not be read from " + shown + ": " + why;
  }

  /** The URL without its user and password, to be shown. */
  static String withoutCredentials(URI base) {
    try {
      return new URI(base.getScheme(), null, base.getHost(), base.getPort(), base.getPath(),
          null, null).toString();
    } catch (URISyntaxException e) {
      return base.getScheme() + "://" + base.getHost();
    }
  }
}

package io.migrationexporter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The exporter's HTTP API as the demo's scripts use it, like a team's scripts would: the
 * migration waits on a gate, the timeline reads the status and changes the phase with the admin
 * token. The demo never reaches into the exporter's objects.
 */
final class ExporterApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** An answer of the API: its status code and JSON body. */
  record Answer(int status, JsonNode body) {
    /** The checks a closed gate waits for, in a few words. */
    String blocking() {
      List<String> names = new ArrayList<>();
      body.path("blocking").forEach(check -> names.add(check.path("check").asText()));
      return names.isEmpty() ? "the checks being read" : few(names);
    }
  }

  private static final int NAMED = 3;

  private final String base;
  private final String adminToken;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  ExporterApi(String base, String adminToken) {
    this.base = base;
    this.adminToken = adminToken;
  }

  String base() {
    return base;
  }

  JsonNode status() throws IOException, InterruptedException {
    return get("/api/status").body();
  }

  /** The gate: 200 when open, 503 when not, with the checks that keep it closed. */
  Answer gate(String name) throws IOException, InterruptedException {
    return get("/api/gates/" + name);
  }

  void enterPhase(String phase, String actor) throws IOException, InterruptedException {
    String body = JSON.createObjectNode().put("phase", phase).put("actor", actor).toString();
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/phase"))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + adminToken)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("PUT /api/phase " + phase + " answered HTTP " + response.statusCode());
    }
  }

  /** Names in a few words: "a, b, c and 4 more". */
  static String few(List<String> names) {
    String named = String.join(", ", names.subList(0, Math.min(NAMED, names.size())));
    return names.size() <= NAMED ? named : named + " and " + (names.size() - NAMED) + " more";
  }

  private Answer get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET()
        .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }
}

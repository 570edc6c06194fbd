package io.migrationexporter.source.saas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.Exporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A real exporter on loopback, started from a configuration written into a temporary directory. */
public final class ExporterHarness implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Exporter exporter;
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Path config;

  private ExporterHarness(Exporter exporter, Path config) {
    this.exporter = exporter;
    this.config = config;
  }

  /** Starts an exporter whose configuration is {@code body} plus a loopback listener. */
  public static ExporterHarness start(Path dir, String body) throws Exception {
    Path config = write(dir, body);
    return new ExporterHarness(Exporter.start(config, Clock.systemUTC()), config);
  }

  /** Writes {@code body} plus a loopback listener as {@code exporter.conf} in {@code dir}. */
  public static Path write(Path dir, String body) throws IOException {
    Path config = dir.resolve("exporter.conf");
    Files.writeString(config, "server.listen = \"127.0.0.1:0\"\n" + body);
    return config;
  }

  public Exporter exporter() {
    return exporter;
  }

  public Path config() {
    return config;
  }

  public String get(String path) {
    try {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + exporter.port() + path)).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString());
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Scrapes once (refreshes happen on demand) and returns {@code condition}, for awaits. */
  public boolean scraped(boolean condition) {
    metrics();
    return condition;
  }

  public String metrics() {
    return get("/metrics");
  }

  public JsonNode status() {
    try {
      return JSON.readTree(get("/api/status"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The status of one check, from /api/status. */
  public JsonNode check(String name) {
    for (JsonNode check : status().get("checks")) {
      if (check.get("name").asText().equals(name)) {
        return check;
      }
    }
    throw new AssertionError("no check " + name);
  }

  /** The state of one source, from /api/status. */
  public JsonNode source(String id) {
    for (JsonNode source : status().get("sources")) {
      if (source.get("id").asText().equals(id)) {
        return source;
      }
    }
    throw new AssertionError("no source " + id);
  }

  public JsonNode migration(String name) {
    for (JsonNode migration : status().get("migrations")) {
      if (migration.get("name").asText().equals(name)) {
        return migration;
      }
    }
    throw new AssertionError("no migration " + name);
  }

  public void phase(String phase) throws IOException {
    exporter.runtime().enterPhase(phase, "test");
  }

  /** Waits until the check is in {@code state} (ok, failing, unknown), scraping as Prometheus would. */
  public JsonNode awaitCheck(String name, String state, Duration timeout) {
    JsonNode[] last = new JsonNode[1];
    Await.until(timeout, () -> {
      last[0] = check(name);
      return last[0].get("state").asText().equals(state);
    }, () -> String.valueOf(last[0]));
    return last[0];
  }

  /** Waits until the source's last refresh succeeded (or failed, with {@code up} false). */
  public JsonNode awaitSource(String id, boolean up, Duration timeout) {
    JsonNode[] last = new JsonNode[1];
    Await.until(timeout, () -> {
      last[0] = source(id);
      return last[0].get("up").asBoolean() == up && last[0].get("refreshes").asLong() > 0;
    }, () -> String.valueOf(last[0]));
    return last[0];
  }

  @Override
  public void close() {
    exporter.close();
  }
}

package io.migrationexporter.deploy;

import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A monitoring program (Prometheus, Alertmanager) started by a test on 127.0.0.1: its output
 * goes to a log file the failure messages quote, and closing it stops it.
 */
final class MonitoringProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final int port;

  private MonitoringProcess(String name, Process process, Path log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts {@code command}, in which {@code {port}} is replaced by a free loopback port. */
  static MonitoringProcess start(String name, Path dir, List<String> command) throws IOException {
    return start(name, dir, command, Map.of());
  }

  /** Likewise, with {@code environment} added to the test's own (a time zone: TZ). */
  static MonitoringProcess start(String name, Path dir, List<String> command,
      Map<String, String> environment) throws IOException {
    int port = Ports.closed();
    List<String> resolved = command.stream()
        .map(arg -> arg.replace("{port}", Integer.toString(port))).toList();
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(resolved).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    return new MonitoringProcess(name, process, log, port);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Waits until {@code path} answers 200. */
  void awaitReady(String path, Duration timeout) throws InterruptedException {
    Await.retrying(name + " ready at " + baseUrl() + path + "; log:\n" + logTail(), () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue());
          }
          return get(path).statusCode() == 200;
        }, timeout, Duration.ofMillis(200));
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

package io.migrationexporter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code migration-exporter demo} run as a user runs it: a JVM of its own, stopped with a signal.
 * Keeps what it printed, and knows from its banner where its exporter, configuration and
 * workspace are.
 */
public final class DemoProcess implements AutoCloseable {
  private static final Pattern BOARD =
      Pattern.compile("^  board +(http://127\\.0\\.0\\.1:(\\d+))/$");
  private static final Pattern CONFIG = Pattern.compile("^  config +(\\S+) ");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path stderr;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private volatile boolean outputEnded;
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;
  private int port;
  private Path config;

  public DemoProcess(Path dir, String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"),
        "io.migrationexporter.cli.Main", "demo"));
    command.addAll(List.of(arguments));
    stderr = dir.resolve("demo-stderr.log");
    process = new ProcessBuilder(command).redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("(reading the demo's output failed: " + e + ")");
      } finally {
        outputEnded = true;
      }
    }, "demo-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits for the banner that says where everything is. */
  public DemoProcess awaitBanner(Duration timeout) {
    Matcher board = awaitLine(BOARD, timeout);
    base = board.group(1);
    port = Integer.parseInt(board.group(2));
    config = Path.of(awaitLine(CONFIG, timeout).group(1));
    return this;
  }

  Matcher awaitLine(Pattern pattern, Duration timeout) {
    return Await.until("a line matching " + pattern + " (" + transcript() + ")", () -> {
      for (String line : lines) {
        Matcher matcher = pattern.matcher(line);
        if (matcher.find()) {
          return matcher;
        }
      }
      if (outputEnded) {
        throw new AssertionError("the demo's output ended before " + pattern + ": "
            + transcript());
      }
      return null;
    }, matcher -> matcher != null, timeout);
  }

  public int port() {
    return port;
  }

  Path config() {
    return config;
  }

  Path workspace() {
    return config.getParent();
  }

  Process process() {
    return process;
  }

  public JsonNode get(String path) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed: " + e + "; " + transcript(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public JsonNode status() {
    return get("/api/status");
  }

  public String phase() {
    return status().path("phase").path("current").asText();
  }

  public void awaitPhase(String phase, Duration timeout) {
    try {
      Await.until("the phase " + phase, this::phase, phase::equals, timeout);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; " + transcript(), e);
    }
  }

  /** Sends {@code signal} (INT, TERM) and waits for the demo to exit; returns its status. */
  int stop(String signal, Duration timeout) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the demo did not stop within " + timeout + " of SIG" + signal
          + ": " + transcript());
    }
    return process.exitValue();
  }

  /** The last lines it printed on both streams, for failure messages. */
  public String transcript() {
    StringBuilder text = new StringBuilder("stdout:\n");
    lines.stream().skip(Math.max(0, lines.size() - 40)).forEach(l -> text.append(l).append('\n'));
    try {
      List<String> err = Files.exists(stderr) ? Files.readAllLines(stderr) : List.of();
      text.append("stderr:\n");
      err.stream().skip(Math.max(0, err.size() - 30)).forEach(l -> text.append(l).append('\n'));
    } catch (IOException e) {
      text.append("(stderr unreadable: ").append(e).append(")\n");
    }
    return text.toString();
  }

  /**
   * The demo's processes: itself, its children, and its PostgreSQL servers with theirs (pg_ctl
   * starts a server detached, so it is no descendant of the demo).
   */
  List<ProcessHandle> processes() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    all.addAll(process.descendants().toList());
    for (Path pidFile : List.of(workspace().resolve("postgres-pix/postmaster.pid"),
        workspace().resolve("postgres-pix_datawarehouse/postmaster.pid"))) {
      try {
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        ProcessHandle.of(pid).ifPresent(postmaster -> {
          all.add(postmaster);
          all.addAll(postmaster.descendants().toList());
        });
      } catch (IOException | RuntimeException e) {
        // no server there (yet, or any more)
      }
    }
    return all;
  }

  /** Whatever happened (a failed assertion), nothing of the demo outlives the test. */
  @Override
  public void close() throws IOException {
    List<ProcessHandle> all = config == null ? List.of(process.toHandle()) : processes();
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : all) {
      handle.onExit().join();
    }
    if (config != null && Files.exists(workspace())) {
      try (var paths = Files.walk(workspace())) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }
}

package io.migrationexporter.board;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver HTTP API: the handful of calls the
 * board tests need, over java.net.http, instead of the whole Selenium client. Chromedriver listens
 * on loopback only, on a port it picks; the browser gets a fresh profile in a temporary directory.
 */
public final class Browser implements AutoCloseable {
  /** W3C's key for an element reference in JSON. */
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
  private static final Pattern STARTED = Pattern.compile("started successfully on port (\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PAGE_WAIT = Duration.ofSeconds(20);
  /** A browser call costs milliseconds: polling the page faster only loads the machine. */
  private static final Duration PAGE_POLL = Duration.ofMillis(100);
  private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/lib/chromium/chromium");

  private final Process driver;
  private final Path profile;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI session;

  private Browser(Process driver, Path profile, URI session) {
    this.driver = driver;
    this.profile = profile;
    this.session = session;
  }

  /**
   * Starts chromedriver and a headless Chromium with a window of the given size. Skips the test
   * when the binaries are absent, except on CI (CI=true) where they must be there.
   */
  public static Browser start(int width, int height) throws Exception {
    Optional<Path> chromedriver = onPath("chromedriver");
    Optional<Path> chromium = CHROMIUM.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    String missing = chromedriver.isEmpty() ? "chromedriver" : chromium.isEmpty() ? "chromium" : null;
    if (missing != null) {
      String message = missing + " is not installed (Debian: apt-get install -y chromium"
          + " chromium-driver); the board's browser tests need it";
      if ("true".equals(System.getenv("CI"))) {
        fail(message + ", and CI=true requires them");
      }
      assumeTrue(false, message + ": skipped");
    }
    try {
      return launch(chromedriver.get(), chromium.get(), width, height);
    } catch (Exception e) {
      // Two test classes in one JVM start their browsers back to back, and on a loaded machine
      // chromedriver sometimes fails to create the first session: a fresh driver then succeeds.
      System.err.println("Browser: starting once more after: " + e);
      return launch(chromedriver.get(), chromium.get(), width, height);
    }
  }

  private static Browser launch(Path chromedriver, Path chromium, int width, int height)
      throws Exception {
    Process driver = new ProcessBuilder(chromedriver.toString(), "--port=0")
        .redirectErrorStream(true)
        .start();
    Path profile = null;
    try {
      int port = awaitPort(driver);
      profile = Files.createTempDirectory("board-test-chromium-");
      URI base = URI.create("http://127.0.0.1:" + port + "/");
      HttpClient http = HttpClient.newHttpClient();
      Await.retrying("chromedriver ready for a session", () ->
          send(http, "GET", base.resolve("status"), null).path("ready").asBoolean(),
          PAGE_WAIT, PAGE_POLL);
      ObjectNode options = JSON.createObjectNode();
      options.put("binary", chromium.toString());
      ArrayNode args = options.putArray("args");
      for (String arg : List.of("--headless", "--no-sandbox", "--disable-gpu",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--no-first-run", "--disable-quic", "--disable-dev-shm-usage", "--hide-scrollbars",
          "--window-size=" + width + "," + height, "--user-data-dir=" + profile)) {
        args.add(arg);
      }
      ObjectNode body = JSON.createObjectNode();
      ObjectNode always = body.putObject("capabilities").putObject("alwaysMatch");
      always.put("browserName", "chrome");
      always.putObject("goog:loggingPrefs").put("browser", "ALL");
      always.set("goog:chromeOptions", options);
      JsonNode created = send(http, "POST", base.resolve("session"), body);
      URI session = base.resolve("session/" + created.path("sessionId").asText());
      Browser browser = new Browser(driver, profile, session);
      browser.resize(width, height);
      return browser;
    } catch (Exception | Error e) {
      driver.descendants().forEach(ProcessHandle::destroyForcibly);
      driver.destroyForcibly();
      driver.waitFor(10, TimeUnit.SECONDS);
      deleteTree(profile);
      throw e;
    }
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(java.io.File.pathSeparator)).filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
  }

  /** The port chromedriver picked, from its start line; its further output is drained. */
  private static int awaitPort(Process driver) throws Exception {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          Matcher matcher = STARTED.matcher(line);
          if (matcher.find()) {
            return Integer.parseInt(matcher.group(1));
          }
        }
        throw new IllegalStateException("chromedriver exited before listening");
      } catch (IOException e) {
        throw new IllegalStateException("cannot read chromedriver's output", e);
      }
    });
    try {
      int found = port.get(20, TimeUnit.SECONDS);
      Thread drain = new Thread(() -> out.lines().forEach(line -> { }), "chromedriver-output");
      drain.setDaemon(true);
      drain.start();
      return found;
    } catch (TimeoutException e) {
      throw new IllegalStateException("chromedriver did not start within 20 s", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("chromedriver did not start", e.getCause());
    }
  }

  /** Sizes the window so that the page gets exactly this viewport (the window has a frame). */
  void resize(int width, int height) throws Exception {
    command("POST", "window/rect", JSON.createObjectNode().put("width", width).put("height", height));
    JsonNode inner = script("return [window.innerWidth, window.innerHeight]");
    int frameWidth = width - inner.get(0).asInt();
    int frameHeight = height - inner.get(1).asInt();
    if (frameWidth != 0 || frameHeight != 0) {
      command("POST", "window/rect", JSON.createObjectNode()
          .put("width", width + frameWidth).put("height", height + frameHeight));
    }
  }

  public void open(String url) throws Exception {
    command("POST", "url", JSON.createObjectNode().put("url", url));
  }

  /** The first element matching a CSS selector, if any. */
  public Optional<String> find(String css) throws Exception {
    ObjectNode query = JSON.createObjectNode().put("using", "css selector").put("value", css);
    JsonNode found = command("POST", "elements", query);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).path(ELEMENT).asText());
  }

  /**
   * Waits for the page to reach a state by itself (it polls every 2 seconds); an element not
   * drawn yet, or replaced by a redraw, is looked for again.
   */
  void await(String what, Await.Condition condition) {
    Await.retrying(what, condition, PAGE_WAIT, PAGE_POLL);
  }

  String element(String css) throws Exception {
    // An exception, not a failure: an await retries until the page draws the element.
    return find(css).orElseThrow(() -> new NoSuchElementException("no element matches " + css));
  }

  /** An attribute as written in the DOM, or null when absent. */
  public String attribute(String element, String name) throws Exception {
    JsonNode value = command("GET", "element/" + element + "/attribute/" + name, null);
    return value.isNull() ? null : value.asText();
  }

  /** The text as rendered (what a person sees). */
  public String text(String element) throws Exception {
    return command("GET", "element/" + element + "/text", null).asText();
  }

  void click(String element) throws Exception {
    command("POST", "element/" + element + "/click", JSON.createObjectNode());
  }

  void type(String element, String text) throws Exception {
    command("POST", "element/" + element + "/value", JSON.createObjectNode().put("text", text));
  }

  /** Runs a function body in the page; {@code arguments[i]} are the given values. */
  JsonNode script(String body, Object... arguments) throws Exception {
    ObjectNode call = JSON.createObjectNode().put("script", body);
    ArrayNode args = call.putArray("args");
    for (Object argument : arguments) {
      args.add(JSON.valueToTree(argument));
    }
    return command("POST", "execute/sync", call);
  }

  /**
   * The errors the page logged since the last call (script errors, refused resources, Content
   * Security Policy violations), each as one line.
   */
  public List<String> errors() throws Exception {
    JsonNode entries = command("POST", "se/log", JSON.createObjectNode().put("type", "browser"));
    List<String> errors = new java.util.ArrayList<>();
    entries.forEach(entry -> {
      if ("SEVERE".equals(entry.path("level").asText())) {
        errors.add(entry.path("message").asText());
      }
    });
    return errors;
  }

  /** A PNG of the viewport. */
  byte[] screenshot() throws Exception {
    return Base64.getDecoder().decode(command("GET", "screenshot", null).asText());
  }

  private JsonNode command(String method, String path, JsonNode body) throws Exception {
    return send(http, method, URI.create(session + "/" + path), body);
  }

  private static JsonNode send(HttpClient http, String method, URI uri, JsonNode body)
      throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json; charset=utf-8")
        .method(method, publisher)
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode value = JSON.readTree(response.body()).path("value");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("WebDriver " + method + " " + uri.getPath() + ": "
          + value.path("error").asText() + ": " + value.path("message").asText());
    }
    return value;
  }

  @Override
  public void close() {
    // the browser's processes are the driver's children: none may outlive the test
    List<ProcessHandle> browserProcesses = driver.descendants().toList();
    try {
      send(http, "DELETE", session, null);
    } catch (Exception e) {
      // the processes are stopped below in any case
    } finally {
      awaitExit(browserProcesses);
      driver.destroy();
      awaitExit(List.of(driver.toHandle()));
      // only once the browser is gone: it writes its profile until it exits
      deleteTree(profile);
    }
  }

  /** Waits a little for each process to exit, then asks it to, then forces it. */
  private static void awaitExit(List<ProcessHandle> processes) {
    for (ProcessHandle process : processes) {
      if (!exited(process)) {
        process.destroy();
        if (!exited(process)) {
          process.destroyForcibly();
        }
      }
    }
  }

  private static boolean exited(ProcessHandle process) {
    try {
      process.onExit().get(5, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Deletes the profile; files the exiting browser still writes or removes are skipped. */
  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          file.toFile().delete();
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path directory, IOException e) {
          directory.toFile().delete();
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // a leftover profile in the temporary directory is harmless
    }
  }
}

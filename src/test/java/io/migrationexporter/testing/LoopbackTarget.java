package io.migrationexporter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on 127.0.0.1 standing in for the apps a maintenance closes. Each path answers
 * what the test set last ({@link #answer}): a status, a body, headers, after a delay, or only once
 * released. It counts the requests each path received. Unset paths answer 404.
 */
public final class LoopbackTarget implements AutoCloseable {
  /** Longest a hanging request waits for a release that never comes: the test has failed by then. */
  private static final Duration HANG_LIMIT = Duration.ofSeconds(60);
  private static final int FILLER_CHUNK = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> bodyBytes = new ConcurrentHashMap<>();

  /**
   * What a path answers.
   *
   * @param release when not null, the request waits until it is counted down ({@link #release})
   * @param fillerBytes when positive, the body is this many bytes of {@code "ok\n"} lines, streamed
   *     instead of {@code body}
   */
  public record Answer(int status, String body, Map<String, String> headers, Duration delay,
      CountDownLatch release, long fillerBytes) {
    public static Answer status(int status) {
      return new Answer(status, "", Map.of(), Duration.ZERO, null, 0);
    }

    public Answer body(String text) {
      return new Answer(status, text, headers, delay, release, 0);
    }

    /** A body of {@code bytes} bytes written from one small buffer: 50 MB cost the test nothing. */
    public Answer filler(long bytes) {
      return new Answer(status, "", headers, delay, release, bytes);
    }

    public Answer header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Answer(status, body, Map.copyOf(more), delay, release, fillerBytes);
    }

    public Answer delay(Duration wait) {
      return new Answer(status, body, headers, wait, release, fillerBytes);
    }

    /** Requests wait, holding their connection open, until {@link LoopbackTarget#release}. */
    public Answer hanging() {
      return new Answer(status, body, headers, delay, new CountDownLatch(1), fillerBytes);
    }
  }

  private LoopbackTarget(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static LoopbackTarget start() throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "loopback-target-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    LoopbackTarget target = new LoopbackTarget(server, executor);
    server.createContext("/", target::handle);
    server.setExecutor(executor);
    server.start();
    return target;
  }

  /** From now on, {@code path} answers {@code answer}. */
  public LoopbackTarget answer(String path, Answer answer) {
    answers.put(path, answer);
    return this;
  }

  /** Lets every request hanging on {@code path} go on; later requests no longer hang. */
  public void release(String path) {
    Answer answer = answers.get(path);
    if (answer != null && answer.release() != null) {
      answer.release().countDown();
    }
  }

  public void releaseAll() {
    answers.keySet().forEach(this::release);
  }

  /** Requests {@code path} received so far (counted on arrival, before any delay or hang). */
  public int requests(String path) {
    AtomicInteger count = counts.get(path);
    return count == null ? 0 : count.get();
  }

  /** Filler bytes written for {@code path} so far; writing stops when the client hangs up. */
  public long bodyBytesSent(String path) {
    AtomicLong sent = bodyBytes.get(path);
    return sent == null ? 0 : sent.get();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      Answer answer = answers.getOrDefault(path, Answer.status(404).body("no answer set for " + path));
      try {
        if (answer.release() != null
            && !answer.release().await(HANG_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        if (!answer.delay().isZero()) {
          Thread.sleep(answer.delay().toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      if (answer.fillerBytes() > 0) {
        sendFiller(exchange, answer, bodyBytes.computeIfAbsent(path, p -> new AtomicLong()));
        return;
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(answer.status(), noBody ? -1 : body.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /**
   * Writes the filler. A client that stops reading (as one with a body limit should) makes a
   * write fail: the exception must reach the server, which then closes the connection; swallowed,
   * it would leave the connection open and its socket with it.
   */
  private static void sendFiller(HttpExchange exchange, Answer answer, AtomicLong sent)
      throws IOException {
    exchange.sendResponseHeaders(answer.status(), answer.fillerBytes());
    byte[] chunk = "ok\n".repeat(FILLER_CHUNK / 3).getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = exchange.getResponseBody()) {
      for (long left = answer.fillerBytes(); left > 0; left -= chunk.length) {
        int length = (int) Math.min(chunk.length, left);
        out.write(chunk, 0, length);
        sent.addAndGet(length);
      }
    }
  }

  @Override
  public void close() {
    releaseAll();
    server.stop(0);
    executor.shutdownNow();
  }
}

package io.migrationexporter.demo.fakes;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.undertow.Undertow;
import io.undertow.io.IoCallback;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;

/**
 * A fake SaaS API on 127.0.0.1 and a free port, for tests and the demo: strict about credentials
 * and request shape like the real one, with a state tests program, faults they switch on and off,
 * and counters of what it was asked.
 */
public abstract class FakeServer implements AutoCloseable {
  private static final int HUGE_BODY_BYTES = 20 << 20;
  /** One megabyte of the huge answer, shared read-only by every huge answer. */
  private static final ByteBuffer HUGE_CHUNK = hugeChunk();
  private static final Duration LONGEST_HANG = Duration.ofSeconds(60);

  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Map<String, BiFunction<String, byte[], byte[]>> rawBodies =
      new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile CountDownLatch hanging = new CountDownLatch(1);
  private volatile Duration delay = Duration.ZERO;
  private volatile Duration slowDelay = Duration.ofSeconds(5);
  private volatile String echoPlaceholder;
  private Undertow server;
  private int port;
  /** Whether TLS clients must present a certificate the server trusts. */
  private boolean clientCertificates;
  private String scheme = "http";

  /** A request as the fake's routes see it. */
  protected record Call(String method, String path, Map<String, Deque<String>> query,
      HttpServerExchange exchange, String body) {
    public Optional<String> header(String name) {
      return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    public Optional<String> parameter(String name) {
      Deque<String> values = query.get(name);
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The password of a Basic authorization, when its user name is {@code user}. */
    public Optional<String> basicPassword(String user) {
      return basic().filter(pair -> pair[0].equals(user)).map(pair -> pair[1]);
    }

    /** The user and password of a Basic authorization. */
    public Optional<String[]> basic() {
      return header("Authorization").filter(h -> h.startsWith("Basic ")).flatMap(h -> {
        try {
          String pair = new String(Base64.getDecoder().decode(h.substring(6).trim()),
              StandardCharsets.UTF_8);
          int colon = pair.indexOf(':');
          return colon < 0 ? Optional.empty()
              : Optional.of(new String[] {pair.substring(0, colon), pair.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      });
    }

    public Optional<String> bearer() {
      return header("Authorization").filter(h -> h.startsWith("Bearer ")).map(h -> h.substring(7));
    }
  }

  /** An answer: status, JSON (or other) body and extra headers. */
  protected record Reply(int status, String contentType, String body, Map<String, String> headers) {
    public static Reply json(int status, String body) {
      return new Reply(status, "application/json", body, Map.of());
    }

    public static Reply error(int status, String message) {
      return json(status, "{\"errors\":[\"" + message + "\"]}");
    }

    Reply withHeaders(Map<String, String> more) {
      Map<String, String> all = new LinkedHashMap<>(headers);
      all.putAll(more);
      return new Reply(status, contentType, body, all);
    }
  }

  /** Answers one request that passed the faults. */
  protected abstract Reply route(Call call) throws IOException;

  /** Headers a 429 carries; Datadog's differ from the standard Retry-After. */
  protected Map<String, String> rateLimitHeaders() {
    return Map.of("Retry-After", "1");
  }

  /** Sets what a fake needs beyond the server defaults, before it starts; nothing by default. */
  protected void configure(Undertow.Builder builder) {}

  /** Binds 127.0.0.1 on a free port and serves. */
  public synchronized FakeServer start() {
    return start(null);
  }

  /** Binds 127.0.0.1 on a free port and serves HTTPS with {@code tls}'s certificate. */
  public synchronized FakeServer startTls(SSLContext tls) {
    return start(tls);
  }

  /**
   * The same, requiring a client certificate {@code tls}'s trust managers verify, as an API
   * server authenticating its users by certificate does: without one, no TLS session.
   */
  public synchronized FakeServer startTlsRequiringClientCertificates(SSLContext tls) {
    clientCertificates = true;
    return start(tls);
  }

  private FakeServer start(SSLContext tls) {
    HttpHandler handler = new HttpHandler() {
      @Override
      public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
          exchange.dispatch(this);
          return;
        }
        serve(exchange);
      }
    };
    Undertow.Builder builder = Undertow.builder();
    if (tls == null) {
      builder.addHttpListener(0, "127.0.0.1");
    } else {
      builder.addHttpsListener(0, "127.0.0.1", tls);
      if (clientCertificates) {
        builder.setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUIRED);
      }
      scheme = "https";
    }
    builder
        // "fake-FakeScalingo task-3": a thread dump tells the fakes' threads from the exporter's
        .setWorkerOption(Options.WORKER_NAME, "fake-" + getClass().getSimpleName())
        .setIoThreads(1)
        .setWorkerThreads(64)
        .setHandler(handler);
    configure(builder);
    server = builder.build();
    server.start();
    port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    return this;
  }

  /** Whether TLS already authenticated every client by its certificate. */
  protected boolean requiresClientCertificates() {
    return clientCertificates;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>} (https once started with TLS), without a trailing slash. */
  public String url() {
    return scheme + "://127.0.0.1:" + port;
  }

  /** Every request whose path starts with {@code pathPrefix} gets {@code fault}. */
  public void fault(String pathPrefix, Fault fault) {
    faults.put(pathPrefix, fault);
  }

  /** Every request gets {@code fault}. */
  public void fault(Fault fault) {
    fault("/", fault);
  }

  /**
   * Every 2xx answer whose path starts with {@code pathPrefix} gets, instead of its body, the bytes
   * {@code rewrite} makes of the request's path and the right body: malformed JSON, wrong types,
   * invalid UTF-8, for fuzz tests.
   */
  public void rawBody(String pathPrefix, BiFunction<String, byte[], byte[]> rewrite) {
    rawBodies.put(pathPrefix, rewrite);
  }

  /**
   * Every answer gets the request's headers ("Name: value; ...") in place of {@code placeholder}
   * in its body, as an upstream or a proxy that echoes the request; null stops it.
   */
  public void echoHeaders(String placeholder) {
    this.echoPlaceholder = placeholder;
  }

  /** Back to answering well; hung requests are released (their connections closed). */
  public void clearFaults() {
    faults.clear();
    rawBodies.clear();
    CountDownLatch released = hanging;
    hanging = new CountDownLatch(1);
    released.countDown();
  }

  /** Every answer waits this long first (latency of a distant API). */
  public void delay(Duration latency) {
    this.delay = latency;
  }

  /** How long a {@link Fault#SLOW} answer takes. */
  public void slowDelay(Duration slow) {
    this.slowDelay = slow;
  }

  /** Requests whose path starts with {@code pathPrefix} since the start or the last reset. */
  public int requests(String pathPrefix) {
    int total = 0;
    for (Map.Entry<String, AtomicInteger> entry : counts.entrySet()) {
      if (entry.getKey().startsWith(pathPrefix)) {
        total += entry.getValue().get();
      }
    }
    return total;
  }

  /** The most requests this fake was answering at once. */
  public int maxConcurrentRequests() {
    return maxInFlight.get();
  }

  public void resetCounters() {
    counts.clear();
    maxInFlight.set(0);
  }

  private void serve(HttpServerExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      String path = exchange.getRequestPath();
      counts.computeIfAbsent(exchange.getRequestMethod() + " " + path, k -> new AtomicInteger())
          .incrementAndGet();
      counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
      if (longestPrefix(faults, path) == Fault.HUGE_BODY) {
        pause(delay);
        sendHuge(exchange);
        return;
      }
      exchange.startBlocking();
      String body;
      try (InputStream in = exchange.getInputStream()) {
        body = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
      }
      pause(delay);
      Fault fault = longestPrefix(faults, path);
      Reply reply = fault == null ? null : faulty(fault);
      if (fault == Fault.HANG) {
        hang();
        exchange.setPersistent(false);
        return;
      }
      if (reply == null) {
        reply = route(new Call(exchange.getRequestMethod().toString(), path,
            exchange.getQueryParameters(), exchange, body));
        if (fault == Fault.TRUNCATED_JSON) {
          reply = new Reply(reply.status(), reply.contentType(),
              reply.body().substring(0, reply.body().length() / 2), reply.headers());
        } else if (fault == Fault.SLOW) {
          pause(slowDelay);
        }
      }
      if (fault == Fault.HUGE_BODY) {
        sendHuge(exchange);
        return;
      }
      String text = reply.body();
      String echo = echoPlaceholder;
      if (echo != null) {
        List<String> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach(values -> values.forEach(value ->
            headers.add(values.getHeaderName() + ": " + value)));
        text = text.replace(echo, new String(JsonStringEncoder.getInstance()
            .quoteAsString(String.join("; ", headers))));
      }
      byte[] answer = text.getBytes(StandardCharsets.UTF_8);
      BiFunction<String, byte[], byte[]> rewrite = longestPrefix(rawBodies, path);
      if (rewrite != null && reply.status() >= 200 && reply.status() <= 299) {
        answer = rewrite.apply(path, answer);
      }
      send(exchange, reply, answer);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** The value of the longest prefix of {@code path} in {@code byPrefix}, or null. */
  private static <T> T longestPrefix(Map<String, T> byPrefix, String path) {
    T found = null;
    int longest = -1;
    for (Map.Entry<String, T> entry : byPrefix.entrySet()) {
      if (path.startsWith(entry.getKey()) && entry.getKey().length() > longest) {
        found = entry.getValue();
        longest = entry.getKey().length();
      }
    }
    return found;
  }

  private Reply faulty(Fault fault) {
    return switch (fault) {
      case UNAUTHORIZED -> Reply.error(401, "Unauthorized");
      case FORBIDDEN -> Reply.error(403, "Forbidden");
      case NOT_FOUND -> Reply.error(404, "Not Found");
      case RATE_LIMITED -> Reply.error(429, "Too Many Requests").withHeaders(rateLimitHeaders());
      case RATE_LIMITED_SILENTLY -> Reply.error(429, "Too Many Requests");
      case SERVER_ERROR -> Reply.error(500, "Internal Server Error");
      case HTML -> new Reply(200, "text/html; charset=utf-8",
          "<html><body><h1>Service temporarily unavailable</h1></body></html>", Map.of());
      case HANG, SLOW, TRUNCATED_JSON, HUGE_BODY -> null;
    };
  }

  private void hang() {
    try {
      hanging.await(LONGEST_HANG.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpServerExchange exchange, Reply reply, byte[] bytes)
      throws IOException {
    exchange.setStatusCode(reply.status());
    exchange.getResponseHeaders().put(HttpString.tryFromString("Content-Type"), reply.contentType());
    reply.headers().forEach((name, value) ->
        exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
    exchange.setResponseContentLength(bytes.length);
    try (OutputStream out = exchange.getOutputStream()) {
      out.write(bytes);
    }
  }

  /**
   * Sends the {@link Fault#HUGE_BODY} answer from one shared megabyte, without blocking: a client
   * that stops reading at its limit (as it should) gets its connection closed and holds no thread
   * of the fake meanwhile.
   */
  private static void sendHuge(HttpServerExchange exchange) {
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(HttpString.tryFromString("Content-Type"), "application/json");
    int chunks = (HUGE_BODY_BYTES + HUGE_CHUNK.capacity() - 1) / HUGE_CHUNK.capacity();
    ByteBuffer[] body = new ByteBuffer[chunks + 2];
    body[0] = ByteBuffer.wrap("{\"results\":[".getBytes(StandardCharsets.UTF_8));
    for (int i = 1; i < body.length - 1; i++) {
      body[i] = HUGE_CHUNK.duplicate();
    }
    body[body.length - 1] = ByteBuffer.wrap("{}]}".getBytes(StandardCharsets.UTF_8));
    exchange.getResponseSender().send(body, IoCallback.END_EXCHANGE);
  }

  private static ByteBuffer hugeChunk() {
    String entry = "{\"padding\":\"" + "x".repeat(8180) + "\"},";
    return ByteBuffer.wrap(entry.repeat(128).getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
  }

  @Override
  public synchronized void close() {
    clearFaults();
    if (server != null) {
      server.stop();
      server = null;
    }
  }
}

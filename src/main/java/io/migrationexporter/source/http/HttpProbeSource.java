package io.migrationexporter.source.http;

import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.Source;
import io.migrationexporter.config.Redactor;
import io.migrationexporter.source.TransportError;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One HTTP check's source: one request per refresh, its status and timing. */
final class HttpProbeSource implements Source {
  static final String OBSERVATION = "http";

  static final MetricDef STATUS = MetricDef.gauge("migration_http_status_code",
      "HTTP status code of the last probe of an HTTP check, 0 when no answer came.", "check", "app");
  static final MetricDef DURATION = MetricDef.gauge("migration_http_duration_seconds",
      "Duration of the last probe of an HTTP check, until the body was read or the error.",
      "check", "app");
  static final MetricDef ERROR = MetricDef.gauge("migration_http_error",
      "1 when the last probe of an HTTP check got no answer, by kind: dns, connect, tls, timeout, io.",
      "check", "app", "kind");

  /** As many as the JDK client and curl's usual scripts follow. */
  static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final HttpProbe probe;
  private final HttpProbeClients clients;
  private final Optional<Pattern> closedBody;
  private final Optional<Pattern> openBody;

  HttpProbeSource(HttpProbe probe, HttpProbeClients clients) {
    this.probe = probe;
    this.clients = clients;
    this.closedBody = probe.closedBodyRegex().map(Pattern::compile);
    this.openBody = probe.openBodyRegex().map(Pattern::compile);
  }

  static String id(String check) {
    return "http:" + check;
  }

  static String describe(HttpProbe probe) {
    StringBuilder out = new StringBuilder()
        .append(probe.method()).append(' ').append(probe.url())
        .append(", closed ").append(probe.closedStatus())
        .append(probe.closedBodyRegex().map(r -> " with body /" + r + "/").orElse(""))
        .append(", open ").append(probe.openStatus())
        .append(probe.openBodyRegex().map(r -> " with body /" + r + "/").orElse(""))
        .append(", timeout ").append(Durations.format(probe.timeout()))
        .append(probe.followRedirects() ? ", follows redirects" : "")
        .append(probe.tlsVerify() ? "" : ", TLS NOT VERIFIED")
        .append(probe.caFile().map(f -> ", CA " + f).orElse(""));
    // One list, "Name: value" as sent, a secret's value masked: never the value of a map
    // followed by loose names, which read as if the secret ones were not sent.
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(probe.headers());
    probe.secretHeaders().keySet().forEach(name -> headers.put(name, Redactor.MASK));
    if (!headers.isEmpty()) {
      out.append(", headers ").append(headers.entrySet().stream()
          .map(header -> header.getKey() + ": " + header.getValue())
          .collect(Collectors.joining(", ")));
    }
    return out.toString();
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> exchange =
        send(probe.url(), probe.method(), true, MAX_REDIRECTS);
    return exchange
        .orTimeout(probe.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle((response, error) -> {
          double seconds = (System.nanoTime() - start) / 1e9;
          if (error != null) {
            exchange.cancel(true);
            return failed(TransportError.classify(error), seconds);
          }
          return answered(response, seconds);
        });
  }

  /**
   * Sends the request to {@code url}, then follows redirects itself when asked: the JDK client
   * would send every header to whatever host a redirect names. As curl, browsers and Go do, the
   * secret headers (credentials, cookies, the user:password of the URL) go only to the origin of
   * the configured URL; an https to http redirect is not followed.
   */
  private CompletableFuture<HttpResponse<byte[]>> send(URI url, String method,
      boolean sameOrigin, int redirectsLeft) {
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(probe.timeout())
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header("User-Agent", "migration-exporter");
    probe.headers().forEach(request::header);
    if (sameOrigin) {
      probe.secretHeaders().forEach((name, value) -> request.header(name, value.reveal()));
    }
    long bodyLimit = probe.readsBody() ? probe.bodyLimit() : 0;
    return clients.client(probe.clientKey())
        .sendAsync(request.build(), info -> new LimitedBody(
            redirectsLeft > 0 && next(url, info.statusCode(), info.headers()).isPresent()
                ? 0 : bodyLimit))
        .thenCompose(response -> {
          Optional<URI> target = redirectsLeft > 0
              ? next(url, response.statusCode(), response.headers()) : Optional.empty();
          if (target.isEmpty()) {
            return CompletableFuture.completedFuture(response);
          }
          String nextMethod = response.statusCode() == 303 && !method.equals("HEAD")
              ? "GET" : method;
          return send(target.get(), nextMethod, sameOrigin && sameOrigin(target.get()),
              redirectsLeft - 1);
        });
  }

  /** Where a redirect leads, when it is one this probe follows. */
  private Optional<URI> next(URI from, int status, HttpHeaders headers) {
    if (!probe.followRedirects() || !REDIRECTS.contains(status)) {
      return Optional.empty();
    }
    Optional<String> location = headers.firstValue("Location");
    if (location.isEmpty()) {
      return Optional.empty();
    }
    URI target;
    try {
      target = from.resolve(new URI(location.get().trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    boolean downgrade = from.getScheme().equalsIgnoreCase("https") && scheme.equals("http");
    if (!(scheme.equals("http") || scheme.equals("https")) || downgrade
        || target.getHost() == null) {
      return Optional.empty();
    }
    return Optional.of(target);
  }

  /** Scheme, host and port as the configured URL has them. */
  private boolean sameOrigin(URI target) {
    URI origin = probe.url();
    return origin.getScheme().equalsIgnoreCase(target.getScheme())
        && origin.getHost().equalsIgnoreCase(target.getHost())
        && port(origin) == port(target);
  }

  private static int port(URI url) {
    return url.getPort() >= 0 ? url.getPort()
        : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private Reading answered(HttpResponse<byte[]> response, double seconds) {
    int status = response.statusCode();
    String body = probe.readsBody() ? new String(response.body(), StandardCharsets.UTF_8) : "";
    boolean closedStatus = probe.closedStatus().matches(status);
    boolean openStatus = probe.openStatus().matches(status);
    boolean closed = closedStatus && closedBody.map(p -> p.matcher(body).find()).orElse(true);
    boolean open = !closed && openStatus && openBody.map(p -> p.matcher(body).find()).orElse(true);
    String summary;
    if (closed) {
      summary = "In maintenance (HTTP " + status + ")";
    } else if (open) {
      summary = "In service (HTTP " + status + ")";
    } else if (closedStatus) {
      summary = "HTTP " + status + " without the maintenance text";
    } else if (openStatus) {
      summary = "HTTP " + status + " without the expected text";
    } else {
      summary = "Unexpected answer (HTTP " + status + ")";
    }
    return Reading.builder()
        .sample(STATUS, status, probe.check(), probe.app())
        .sample(DURATION, seconds, probe.check(), probe.app())
        .observation(OBSERVATION, new Observation(closed, open, summary))
        .build();
  }

  private Reading failed(TransportError error, double seconds) {
    return Reading.builder()
        .sample(STATUS, 0, probe.check(), probe.app())
        .sample(DURATION, seconds, probe.check(), probe.app())
        .sample(ERROR, 1, probe.check(), probe.app(), error.kind())
        .observation(OBSERVATION, Observation.neither("Unreachable: " + error.words()
            + " (" + error.kind() + ")"))
        .build();
  }
}

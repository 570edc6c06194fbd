package io.migrationexporter.source.http;

import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.source.TransportError;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

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

  private final HttpProbe probe;
  private final SourceSchedule schedule;
  private final HttpProbeClients clients;
  private final Optional<Pattern> closedBody;
  private final Optional<Pattern> openBody;

  HttpProbeSource(HttpProbe probe, SourceSchedule schedule, HttpProbeClients clients) {
    this.probe = probe;
    this.schedule = schedule;
    this.clients = clients;
    this.closedBody = probe.closedBodyRegex().map(Pattern::compile);
    this.openBody = probe.openBodyRegex().map(Pattern::compile);
  }

  @Override
  public String id() {
    return "http:" + probe.check();
  }

  @Override
  public SourceSchedule schedule() {
    return schedule;
  }

  @Override
  public Object definition() {
    return probe;
  }

  @Override
  public String describe() {
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
    if (!probe.headers().isEmpty() || !probe.secretHeaders().isEmpty()) {
      out.append(", headers ").append(probe.headers());
      probe.secretHeaders().keySet().forEach(name -> out.append(' ').append(name).append("=<redacted>"));
    }
    return out.toString();
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    HttpRequest.Builder request = HttpRequest.newBuilder(probe.url())
        .timeout(probe.timeout())
        .method(probe.method(), HttpRequest.BodyPublishers.noBody())
        .header("User-Agent", "migration-exporter");
    probe.headers().forEach(request::header);
    probe.secretHeaders().forEach((name, value) -> request.header(name, value.reveal()));
    long bodyLimit = probe.readsBody() ? probe.bodyLimit() : 0;
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> exchange = clients.client(probe.clientKey())
        .sendAsync(request.build(), info -> new LimitedBody(bodyLimit));
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

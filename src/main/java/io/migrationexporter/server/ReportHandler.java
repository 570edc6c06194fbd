package io.migrationexporter.server;

import io.migrationexporter.app.Runtime;
import io.migrationexporter.report.Night;
import io.migrationexporter.report.NightPlan;
import io.migrationexporter.report.NightReport;
import io.migrationexporter.report.ReportHtml;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Optional;

/** {@code /report}: the report of the night so far, from the journal, as one HTML page. */
final class ReportHandler {
  private final Runtime runtime;

  ReportHandler(Runtime runtime) {
    this.runtime = runtime;
  }

  void page(HttpServerExchange exchange) {
    Night night;
    try {
      night = NightReport.night(runtime.journal().all(), NightPlan.of(runtime.plan()),
          Optional.empty(), Optional.of(runtime.clock().instant()));
    } catch (IllegalArgumentException e) {
      Responses.error(exchange, 503, "no report yet: " + e.getMessage());
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.put(new HttpString("Content-Security-Policy"), ReportHtml.CONTENT_SECURITY_POLICY);
    headers.put(new HttpString("X-Content-Type-Options"), "nosniff");
    headers.put(Headers.X_FRAME_OPTIONS, "DENY");
    headers.put(new HttpString("Referrer-Policy"), "no-referrer");
    headers.put(Headers.CACHE_CONTROL, "no-store");
    headers.put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
    exchange.getResponseSender().send(ReportHtml.render(night));
  }
}

package io.migrationexporter.server;

import io.migrationexporter.config.ServerSettings;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.time.Instant;

/**
 * How long an answer may wait for refreshes: the scraper's timeout header, less a margin, or the
 * default, and never longer than the request budget (sources refresh on their own schedule, so
 * waiting longer would only wait on a source that hangs).
 */
final class Deadlines {
  static final String SCRAPE_TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
  private static final Duration SHORTEST = Duration.ofMillis(100);

  private Deadlines() {}

  static Instant of(HttpServerExchange exchange, ServerSettings settings, Instant now) {
    Duration timeout = settings.defaultScrapeTimeout();
    String header = exchange.getRequestHeaders().getFirst(SCRAPE_TIMEOUT_HEADER);
    if (header != null) {
      try {
        double seconds = Double.parseDouble(header.trim());
        if (seconds > 0 && seconds < 3600) {
          timeout = Duration.ofNanos((long) (seconds * 1e9));
        }
      } catch (NumberFormatException e) {
        // a malformed header is ignored: the default deadline applies
      }
    }
    Duration budget = timeout.minus(settings.scrapeTimeoutOffset());
    if (budget.compareTo(SHORTEST) < 0) {
      budget = timeout.dividedBy(2);
    }
    if (budget.compareTo(settings.requestBudget()) > 0) {
      budget = settings.requestBudget();
    }
    return now.plus(budget);
  }
}

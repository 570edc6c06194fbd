package io.migrationexporter.source.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The parts of Datadog's answers the sources read; every other field is ignored. */
final class DatadogJson {
  private DatadogJson() {}

  record LogPage(List<Log> data, Meta meta) {}

  record Log(String id, LogAttributes attributes) {}

  /** {@code attributes} holds the log's own JSON fields (such as {@code msg}). */
  record LogAttributes(String timestamp, String host, String service, String message,
      JsonNode attributes) {}

  record Meta(PageMeta page) {}

  record PageMeta(String after) {}

  record QueryAnswer(String status, List<Series> series) {}

  /** {@code pointlist} is a list of [epoch milliseconds, value or null]. */
  record Series(String metric, String scope, List<List<Double>> pointlist) {}
}

package io.migrationexporter.source.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;

/**
 * The parts of Datadog's answers the sources read; every other field is ignored.
 * A list of records holding a null is refused as an unexpected shape (Nulls.FAIL).
 */
final class DatadogJson {
  private DatadogJson() {}

  record LogPage(@JsonSetter(contentNulls = Nulls.FAIL) List<Log> data, Meta meta) {}

  record Log(String id, LogAttributes attributes) {}

  /** {@code attributes} holds the log's own JSON fields (such as {@code msg}). */
  record LogAttributes(String timestamp, String host, String service, String message,
      JsonNode attributes) {}

  record Meta(PageMeta page) {}

  record PageMeta(String after) {}

  record QueryAnswer(String status,
      @JsonSetter(contentNulls = Nulls.FAIL) List<Series> series) {}

  /** {@code pointlist} is a list of [epoch milliseconds, value or null]. */
  record Series(String metric, String scope, List<List<Double>> pointlist) {}
}

package io.migrationexporter.demo.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A fake Datadog: log search ({@code POST /api/v2/logs/events/search}) and metric query
 * ({@code GET /api/v1/query}), with the {@code DD-API-KEY} and {@code DD-APPLICATION-KEY} headers
 * required. It refuses a log search without an explicit time window (the real API would silently
 * search the last 15 minutes). Queries understand a subset of Datadog's syntax: {@code service:},
 * {@code host:} and {@code status:} with {@code *} wildcards, quoted phrases and words matched in the
 * message, and {@code -} for negation, all AND-ed.
 */
public final class FakeDatadog extends FakeServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String apiKey;
  private final String applicationKey;
  private final List<Log> logs = new CopyOnWriteArrayList<>();
  private final Map<String, List<double[]>> metrics = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  public record Log(String id, Instant at, String host, String service, String message) {}

  public FakeDatadog(String apiKey, String applicationKey) {
    this.apiKey = apiKey;
    this.applicationKey = applicationKey;
  }

  public FakeDatadog log(Instant at, String host, String service, String message) {
    logs.add(new Log("log-" + ids.incrementAndGet(), at, host, service, message));
    return this;
  }

  /** Adds a point to the series a metric query returns. */
  public FakeDatadog point(String query, Instant at, double value) {
    metrics.computeIfAbsent(query, q -> new CopyOnWriteArrayList<>())
        .add(new double[] {at.toEpochMilli(), value});
    return this;
  }

  @Override
  protected Map<String, String> rateLimitHeaders() {
    return Map.of("X-RateLimit-Limit", "300", "X-RateLimit-Period", "3600",
        "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1");
  }

  @Override
  protected Reply route(Call call) throws IOException {
    if (!call.header("DD-API-KEY").map(apiKey::equals).orElse(false)
        || !call.header("DD-APPLICATION-KEY").map(applicationKey::equals).orElse(false)) {
      return Reply.error(403, "Forbidden");
    }
    if (call.path().equals("/api/v2/logs/events/search") && call.method().equals("POST")) {
      return search(call);
    }
    if (call.path().equals("/api/v1/query") && call.method().equals("GET")) {
      return query(call);
    }
    return Reply.error(404, "Not found");
  }

  private Reply search(Call call) throws IOException {
    JsonNode body = JSON.readTree(call.body());
    JsonNode filter = body == null ? null : body.get("filter");
    if (filter == null || !filter.hasNonNull("from") || !filter.hasNonNull("to")) {
      return Reply.error(400, "this fake requires filter.from and filter.to");
    }
    Optional<Instant> from = time(filter.get("from").asText());
    Optional<Instant> to = time(filter.get("to").asText());
    if (from.isEmpty() || to.isEmpty()) {
      return Reply.error(400, "invalid filter.from or filter.to");
    }
    int limit = body.path("page").path("limit").asInt(10);
    if (limit < 1 || limit > 1000) {
      return Reply.error(400, "page.limit must be 1 to 1000");
    }
    String cursor = body.path("page").path("cursor").asText("cursor-0");
    if (!cursor.matches("cursor-[0-9]{1,9}")) {
      return Reply.error(400, "invalid page.cursor");
    }
    int offset = Integer.parseInt(cursor.substring("cursor-".length()));
    List<Term> terms = terms(filter.path("query").asText("*"));
    List<Log> matching = new ArrayList<>();
    for (Log log : logs) {
      if (!log.at().isBefore(from.get()) && !log.at().isAfter(to.get())
          && terms.stream().allMatch(term -> term.matches(log))) {
        matching.add(log);
      }
    }
    Comparator<Log> order = Comparator.comparing(Log::at);
    matching.sort(body.path("sort").asText("timestamp").equals("-timestamp") ? order.reversed() : order);
    List<Log> page = matching.subList(Math.min(offset, matching.size()),
        Math.min(offset + limit, matching.size()));
    ObjectNode root = JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    for (Log log : page) {
      ObjectNode node = data.addObject();
      node.put("id", log.id());
      node.put("type", "log");
      ObjectNode attributes = node.putObject("attributes");
      attributes.put("timestamp", log.at().toString());
      attributes.put("host", log.host());
      attributes.put("service", log.service());
      attributes.put("status", "info");
      attributes.put("message", log.message());
      attributes.putArray("tags").add("env:production");
      attributes.putObject("attributes").put("msg", log.message());
    }
    ObjectNode meta = root.putObject("meta");
    if (offset + limit < matching.size()) {
      meta.putObject("page").put("after", "cursor-" + (offset + limit));
      root.putObject("links").put("next", url() + "/api/v2/logs/events?page[cursor]=cursor-"
          + (offset + limit));
    }
    meta.put("status", "done");
    meta.put("elapsed", 12);
    return Reply.json(200, root.toString()).withHeaders(Map.of("X-RateLimit-Limit", "300",
        "X-RateLimit-Period", "3600", "X-RateLimit-Remaining", "299", "X-RateLimit-Reset", "60"));
  }

  private Reply query(Call call) {
    Optional<String> query = call.parameter("query");
    Optional<String> from = call.parameter("from");
    Optional<String> to = call.parameter("to");
    if (query.isEmpty() || from.isEmpty() || to.isEmpty()
        || !from.get().matches("[0-9]+") || !to.get().matches("[0-9]+")) {
      return Reply.error(400, "query, from and to (epoch seconds) are required");
    }
    long fromMs = Long.parseLong(from.get()) * 1000;
    long toMs = Long.parseLong(to.get()) * 1000 + 999;
    ObjectNode root = JSON.createObjectNode();
    root.put("status", "ok");
    root.put("query", query.get());
    ArrayNode series = root.putArray("series");
    List<double[]> points = metrics.getOrDefault(query.get(), List.of());
    List<double[]> inWindow = points.stream().filter(p -> p[0] >= fromMs && p[0] <= toMs)
        .sorted(Comparator.comparingDouble(p -> p[0])).toList();
    if (!inWindow.isEmpty()) {
      ObjectNode one = series.addObject();
      one.put("metric", query.get().replaceAll("^[a-z]+:|\\{.*$", ""));
      one.put("scope", query.get().replaceAll("^[^{]*\\{|\\}.*$", ""));
      one.putArray("tag_set");
      ArrayNode list = one.putArray("pointlist");
      inWindow.forEach(p -> list.addArray().add(p[0]).add(p[1]));
    }
    return Reply.json(200, root.toString());
  }

  private static Optional<Instant> time(String text) {
    if (text.matches("[0-9]+")) {
      return Optional.of(Instant.ofEpochMilli(Long.parseLong(text)));
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** One term of a query: a field match with wildcards, or words to find in the message. */
  private record Term(boolean negated, String field, Pattern pattern) {
    boolean matches(Log log) {
      String value = switch (field) {
        case "service" -> log.service();
        case "host" -> log.host();
        case "status" -> "info";
        default -> log.message();
      };
      boolean found = field.equals("message") ? pattern.matcher(value).find()
          : pattern.matcher(value).matches();
      return found != negated;
    }
  }

  private static List<Term> terms(String query) {
    List<Term> terms = new ArrayList<>();
    int i = 0;
    while (i < query.length()) {
      while (i < query.length() && query.charAt(i) == ' ') {
        i++;
      }
      if (i >= query.length()) {
        break;
      }
      boolean negated = query.charAt(i) == '-';
      if (negated) {
        i++;
      }
      StringBuilder token = new StringBuilder();
      boolean quoted = false;
      while (i < query.length() && (quoted || query.charAt(i) != ' ')) {
        char c = query.charAt(i);
        if (c == '"') {
          quoted = !quoted;
        } else if (c == '\\' && i + 1 < query.length()) {
          token.append('\\').append(query.charAt(++i));
        } else {
          token.append(c);
        }
        i++;
      }
      terms.add(term(negated, token.toString()));
    }
    return terms;
  }

  private static Term term(boolean negated, String token) {
    int colon = token.indexOf(':');
    String field = colon > 0 ? token.substring(0, colon).toLowerCase(Locale.ROOT) : "";
    if (field.equals("service") || field.equals("host") || field.equals("status")) {
      return new Term(negated, field, Pattern.compile(wildcard(token.substring(colon + 1))));
    }
    if (token.equals("*")) {
      return new Term(negated, "message", Pattern.compile(""));
    }
    return new Term(negated, "message", Pattern.compile(Pattern.quote(unescape(token)),
        Pattern.CASE_INSENSITIVE));
  }

  private static String wildcard(String value) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '*') {
        regex.append(".*");
      } else if (c == '\\' && i + 1 < value.length()) {
        regex.append(Pattern.quote(String.valueOf(value.charAt(++i))));
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }

  private static String unescape(String token) {
    return token.replaceAll("\\\\(.)", "$1");
  }
}

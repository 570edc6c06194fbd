package io.migrationexporter.demo.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A fake Freshping API ({@code /api/v1/checks/}): HTTP Basic with the API key as user and the
 * account's sub-domain as password, checks listed a page at a time with a {@code next} link.
 */
public final class FakeFreshping extends FakeServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String apiKey;
  private final String subdomain;
  private final Map<Long, Check> checks = new ConcurrentSkipListMap<>();
  private volatile int pageSize = 50;

  /** A check and its status code ({@code PS} paused, {@code AV} available, ...). */
  public record Check(long id, String name, String status) {}

  public FakeFreshping(String apiKey, String subdomain) {
    this.apiKey = apiKey;
    this.subdomain = subdomain;
  }

  /** The API's base URL, as the configuration's {@code url} takes it. */
  public String apiUrl() {
    return url() + "/api/v1/";
  }

  public FakeFreshping check(long id, String name, String status) {
    checks.put(id, new Check(id, name, status));
    return this;
  }

  public void status(long id, String status) {
    checks.computeIfPresent(id, (key, check) -> new Check(id, check.name(), status));
  }

  /** Pauses (PS) or resumes (AV) every check. */
  public void pauseAll(boolean paused) {
    checks.replaceAll((id, check) -> new Check(id, check.name(), paused ? "PS" : "AV"));
  }

  public void pageSize(int size) {
    pageSize = size;
  }

  @Override
  protected Reply route(Call call) {
    Optional<String[]> basic = call.basic();
    if (basic.isEmpty() || !basic.get()[0].equals(apiKey) || !basic.get()[1].equals(subdomain)) {
      return Reply.json(401, "{\"detail\":\"Authentication credentials were not provided.\"}");
    }
    if (!call.method().equals("GET")) {
      return Reply.error(405, "method not allowed");
    }
    if (call.path().equals("/api/v1/checks/")) {
      int page;
      try {
        page = Integer.parseInt(call.parameter("page").orElse("1"));
      } catch (NumberFormatException e) {
        return Reply.error(400, "invalid page");
      }
      return Reply.json(200, list(page));
    }
    if (call.path().startsWith("/api/v1/checks/")) {
      String id = call.path().substring("/api/v1/checks/".length()).replace("/", "");
      Check check = id.matches("[0-9]+") ? checks.get(Long.parseLong(id)) : null;
      return check == null ? Reply.json(404, "{\"detail\":\"Not found.\"}")
          : Reply.json(200, node(check).toString());
    }
    return Reply.json(404, "{\"detail\":\"Not found.\"}");
  }

  private String list(int page) {
    List<Check> all = new ArrayList<>(checks.values());
    int from = Math.min(all.size(), (page - 1) * pageSize);
    int to = Math.min(all.size(), from + pageSize);
    ObjectNode root = JSON.createObjectNode();
    root.put("count", all.size());
    if (to < all.size()) {
      root.put("next", apiUrl() + "checks/?page=" + (page + 1));
    } else {
      root.putNull("next");
    }
    root.putNull("previous");
    ArrayNode results = root.putArray("results");
    all.subList(from, to).forEach(check -> results.add(node(check)));
    return root.toString();
  }

  private static ObjectNode node(Check check) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", check.id());
    node.put("name", check.name());
    node.put("status", check.status());
    node.put("performance_status", "GP");
    node.put("alert_note", "");
    node.put("location", "eu-central-1");
    node.put("url", "https://" + check.name().toLowerCase().replace(' ', '-') + ".example.org/");
    node.put("monitoring_interval", 60);
    node.put("request_timeout", 30);
    return node;
  }
}

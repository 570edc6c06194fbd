package io.migrationexporter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationexporter.testing.Await;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The monitoring stack a team runs, with the real programs and the project's files: a chat
 * webhook standing in for Slack, a real Alertmanager with the project's routing and templates
 * (in the team's time zone, TZ=Asia/Tokyo), and a real Prometheus loading the project's rules
 * and scraping the exporters. Only timings differ from the shipped files: 1 s scrape and
 * evaluation intervals, a 1 s Alertmanager grouping, and each alert's {@code for} as the test
 * decides. Closing it stops everything it started.
 */
final class MonitoringStack implements AutoCloseable {
  static final String TEAM_ZONE = "Asia/Tokyo";
  private static final Duration READY = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROMETHEUS_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** Something to do while waiting (sampling the dashboards), that may fail the test. */
  interface Meanwhile {
    void run() throws Exception;
  }

  /** The chat message attachment a test waits for. */
  interface AttachmentTest {
    boolean matches(JsonNode attachment);
  }

  private final Path dir;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final ChatSink chat;
  private MonitoringProcess alertmanager;
  private MonitoringProcess prometheus;
  private Meanwhile meanwhile = () -> { };

  MonitoringStack(Path dir) throws Exception {
    this.dir = dir;
    chat = keep(new ChatSink());
  }

  /** Runs {@code work} at every poll of the waits, e.g. sampling the dashboards. */
  void meanwhile(Meanwhile work) {
    meanwhile = work;
  }

  void startAlertmanager() throws Exception {
    Path alertmanagerBinary = Tools.require("prometheus-alertmanager",
        "prometheus-alertmanager", "alertmanager");
    Path webhook = dir.resolve("chat-webhook-url");
    Files.writeString(webhook, chat.url() + "\n");
    ObjectNode config = (ObjectNode) Yaml.read(Project.file("prometheus/alertmanager.yml"));
    Yaml.object(config.path("global")).put("slack_api_url_file", webhook.toString());
    config.putArray("templates").add(Project.file("prometheus/templates").toString() + "/*.tmpl");
    Yaml.object(config.path("route")).put("group_wait", "1s").put("group_interval", "1s");
    Path file = dir.resolve("alertmanager.yml");
    Yaml.write(file, config);
    Files.createDirectories(dir.resolve("alertmanager-data"));
    alertmanager = keep(MonitoringProcess.start("alertmanager", dir, List.of(
        alertmanagerBinary.toString(), "--config.file=" + file,
        "--storage.path=" + dir.resolve("alertmanager-data"),
        "--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="),
        Map.of("TZ", TEAM_ZONE)));
    alertmanager.awaitReady("/-/ready", READY);
  }

  /**
   * Starts Prometheus scraping the exporters on {@code ports} (job migration-exporter), with
   * the project's rules whose {@code for} becomes {@code delays(alert, shipped for)} (the
   * shipped one is zero where a rule has none; a zero result removes the rule's {@code for}).
   */
  void startPrometheus(List<Integer> ports, BiFunction<String, Duration, Duration> delays)
      throws Exception {
    startPrometheus(ports, delays, (alert, expr) -> expr);
  }

  /** Likewise, each alert's expression becoming {@code expressions(alert, expression)}. */
  void startPrometheus(List<Integer> ports, BiFunction<String, Duration, Duration> delays,
      BinaryOperator<String> expressions) throws Exception {
    Path prometheusBinary = Tools.require("prometheus", "prometheus");
    List<String> rules = new ArrayList<>();
    try (Stream<Path> files = Files.list(Project.file("prometheus/rules"))) {
      for (Path source : files.sorted().toList()) {
        Path copy = dir.resolve(source.getFileName());
        Yaml.write(copy, withDelays(Yaml.read(source), delays, expressions));
        rules.add(copy.toString());
      }
    }
    ObjectNode config = (ObjectNode) Yaml.read(Project.file("prometheus/prometheus.yml"));
    Yaml.object(config.path("global")).put("scrape_interval", "1s").put("evaluation_interval", "1s");
    ArrayNode ruleFiles = config.putArray("rule_files");
    rules.forEach(ruleFiles::add);
    ObjectNode alertTargets = Yaml.object(config.path("alerting").path("alertmanagers").get(0)
        .path("static_configs").get(0));
    alertTargets.putArray("targets").add("127.0.0.1:" + alertmanager.port());
    ObjectNode job = Yaml.object(config.path("scrape_configs").get(0));
    job.put("scrape_timeout", "1s");
    ArrayNode targets = Yaml.object(job.path("static_configs").get(0)).putArray("targets");
    for (int port : ports) {
      targets.add("127.0.0.1:" + port);
    }
    Path file = dir.resolve("prometheus.yml");
    Yaml.write(file, config);
    prometheus = keep(MonitoringProcess.start("prometheus", dir, List.of(
        prometheusBinary.toString(), "--config.file=" + file,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
        "--web.listen-address=127.0.0.1:{port}")));
    prometheus.awaitReady("/-/ready", READY);
  }

  private static JsonNode withDelays(JsonNode rules, BiFunction<String, Duration, Duration> delays,
      BinaryOperator<String> expressions) {
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (!rule.has("alert")) {
          continue;
        }
        String alert = rule.path("alert").asText();
        Yaml.object(rule).put("expr", expressions.apply(alert, rule.path("expr").asText()));
        Duration shipped = rule.has("for") ? duration(rule.path("for").asText()) : Duration.ZERO;
        Duration delay = delays.apply(alert, shipped);
        if (delay.isZero()) {
          Yaml.object(rule).remove("for");
        } else {
          Yaml.object(rule).put("for", delay.toMillis() + "ms");
        }
      }
    }
    return rules;
  }

  /** A Prometheus duration such as {@code 1m30s}. */
  static Duration duration(String text) {
    Matcher part = PROMETHEUS_DURATION.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (part.find() && part.start() == end) {
      long amount = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      });
      end = part.end();
    }
    if (end != text.length() || text.isEmpty()) {
      throw new IllegalArgumentException("not a Prometheus duration: '" + text + "'");
    }
    return total;
  }

  /** The result of an instant query; fails on an error answer (invalid PromQL). */
  JsonNode query(String promql) throws Exception {
    return data("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8), promql)
        .path("result");
  }

  /** The series of a range query over the last {@code span}, one point a second. */
  JsonNode queryRange(String promql, Duration span) throws Exception {
    long end = System.currentTimeMillis() / 1000 + 1;
    return data("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&start=" + (end - span.toSeconds()) + "&end=" + end + "&step=1", promql)
        .path("result");
  }

  private JsonNode data(String pathAndQuery, String promql) throws Exception {
    HttpResponse<String> response = prometheus.get(pathAndQuery);
    JsonNode body = JSON.readTree(response.body());
    if (!body.path("status").asText().equals("success")) {
      throw new AssertionError("Prometheus refused " + promql + ": " + response.body());
    }
    return body.path("data");
  }

  /** Waits until Prometheus answers {@code promql} with data, doing the meanwhile work. */
  void awaitQuery(String what, String promql, Duration timeout) throws Exception {
    Await.retrying(what + " (" + promql + ")\nPrometheus log:\n" + prometheus.logTail(), () -> {
          meanwhile.run();
          return !query(promql).isEmpty();
        }, timeout, POLL);
  }

  /** Waits for a chat message one of whose attachments matches, doing the meanwhile work. */
  JsonNode awaitChat(String what, AttachmentTest test, Duration timeout) throws Exception {
    JsonNode[] found = new JsonNode[1];
    try {
      Await.retrying(what, () -> {
        meanwhile.run();
        for (JsonNode attachment : chatAttachments()) {
          if (test.matches(attachment)) {
            found[0] = attachment;
            return true;
          }
        }
        return false;
      }, timeout, POLL);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the chat got: " + chatAttachments(), e);
    }
    return found[0];
  }

  /** Every attachment the chat received, in the order they came. */
  List<JsonNode> chatAttachments() throws Exception {
    List<JsonNode> attachments = new ArrayList<>();
    for (String post : chat.posts()) {
      JSON.readTree(post).path("attachments").forEach(attachments::add);
    }
    return attachments;
  }

  /** The titles of the chat's messages, in the order they came. */
  List<String> chatTitles() throws Exception {
    return chatAttachments().stream().map(attachment -> attachment.path("title").asText())
        .toList();
  }

  String prometheusLog() {
    return prometheus == null ? "(not started)" : prometheus.logTail();
  }

  private <T extends AutoCloseable> T keep(T resource) {
    started.push(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    while (!started.isEmpty()) {
      started.pop().close();
    }
  }
}

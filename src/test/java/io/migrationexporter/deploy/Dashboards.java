package io.migrationexporter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The dashboards of grafana/dashboards/ and the PromQL they send to Prometheus. */
final class Dashboards {
  static final String PROMETHEUS_UID = "migration-prometheus";
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)$", Pattern.DOTALL);
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\[\\[(\\w+)]]|\\$(\\w+)");

  private Dashboards() {}

  static List<Path> files() throws IOException {
    try (Stream<Path> paths = Files.list(Project.file("grafana/dashboards"))) {
      return paths.filter(path -> path.toString().endsWith(".json")).sorted().toList();
    }
  }

  static JsonNode read(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  static JsonNode read(String uid) throws IOException {
    return read(Project.file("grafana/dashboards/" + uid + ".json"));
  }

  /** Every panel, the panels of collapsed rows included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  /** A PromQL expression of a dashboard, with where it comes from for messages. */
  record Query(String where, String promql) {}

  /** The expressions of the panels' targets. */
  static List<Query> panelQueries(JsonNode dashboard) {
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(new Query(dashboard.path("uid").asText() + " panel " + panel.path("id")
            + " '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
            target.path("expr").asText()));
      }
    }
    return queries;
  }

  /**
   * A query variable: the PromQL it sends (the selector of {@code label_values(selector,
   * label)}), the label whose values it lists, and its default.
   */
  record Variable(String name, String promql, String label, String current, String allValue) {
    boolean defaultsToAll() {
      return current.equals("$__all") || current.equals("All");
    }
  }

  static List<Variable> variables(JsonNode dashboard) {
    List<Variable> variables = new ArrayList<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      String name = variable.path("name").asText();
      if (!variable.path("type").asText().equals("query")) {
        throw new IllegalArgumentException("variable " + name + ": only query variables are used");
      }
      JsonNode query = variable.path("query");
      String text = (query.isObject() ? query.path("query") : query).asText().trim();
      Matcher labelValues = LABEL_VALUES.matcher(text);
      if (!labelValues.matches()) {
        throw new IllegalArgumentException("variable " + name + ": unsupported query " + text);
      }
      JsonNode current = variable.path("current").path("value");
      variables.add(new Variable(name, labelValues.group(1).trim(), labelValues.group(2),
          (current.isArray() ? current.path(0) : current).asText(),
          variable.path("allValue").asText("")));
    }
    return variables;
  }

  /** The PromQL of the query variables. */
  static List<Query> variableQueries(JsonNode dashboard) {
    return variables(dashboard).stream()
        .map(variable -> new Query(dashboard.path("uid").asText() + " variable "
            + variable.name(), variable.promql()))
        .toList();
  }

  /**
   * {@code promql} with Grafana's variables replaced: the built-in intervals by {@code
   * interval}, the dashboard's variables by {@code values} (a placeholder word for the others).
   */
  static String substitute(String promql, Map<String, String> values, String interval) {
    Matcher matcher = VARIABLE.matcher(promql);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1) != null ? matcher.group(1)
          : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
      String value = switch (name) {
        case "__rate_interval", "__interval", "__range" -> interval;
        default -> values.getOrDefault(name, "placeholder");
      };
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}

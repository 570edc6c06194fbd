package io.migrationexporter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes the YAML files of prometheus/ and grafana/provisioning/. */
final class Yaml {
  static final YAMLMapper MAPPER = new YAMLMapper();

  private Yaml() {}

  static JsonNode read(Path file) throws IOException {
    return MAPPER.readTree(file.toFile());
  }

  static void write(Path file, JsonNode tree) throws IOException {
    MAPPER.writeValue(file.toFile(), tree);
  }

  /** An alert rule of prometheus/rules/, as written. */
  record AlertRule(String name, String expr, String forDuration, JsonNode labels,
      JsonNode annotations) {}

  static List<AlertRule> alertRules(Path rulesFile) throws IOException {
    List<AlertRule> alerts = new ArrayList<>();
    for (JsonNode group : read(rulesFile).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          alerts.add(new AlertRule(rule.path("alert").asText(), rule.path("expr").asText(),
              rule.path("for").asText(""), rule.path("labels"), rule.path("annotations")));
        }
      }
    }
    return alerts;
  }

  /** The names the recording rules of {@code rulesFile} record. */
  static List<String> recordedNames(Path rulesFile) throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode group : read(rulesFile).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("record")) {
          names.add(rule.path("record").asText());
        }
      }
    }
    return names;
  }

  static ObjectNode object(JsonNode node) {
    return (ObjectNode) node;
  }
}

package io.migrationexporter.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.migrationexporter.config.ConfigProblem;
import io.migrationexporter.config.Problems;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A strict reader over one YAML mapping, in the manner of {@code config.ConfigNode}: every value
 * keeps the line of its key, every problem names file, line and full key, and {@link #finish()}
 * reports the keys nothing read. YAML is read with Jackson's streaming parser because its tree
 * model forgets where values were written.
 */
final class YamlMap {
  /** A value as written: a scalar (its text), a list, a mapping, or null for an empty value. */
  record Value(int line, Object content) {
    boolean isNull() {
      return content == null;
    }
  }

  private final String file;
  private final String path;
  private final int line;
  private final Map<String, Value> entries;
  private final Problems problems;
  private final Set<String> known = new LinkedHashSet<>();

  private YamlMap(String file, String path, int line, Map<String, Value> entries,
      Problems problems) {
    this.file = file;
    this.path = path;
    this.line = line;
    this.entries = entries;
    this.problems = problems;
  }

  /**
   * Parses {@code file}, which must hold one mapping (an empty file is an empty mapping).
   *
   * @throws Problems.Invalid after recording a syntax problem in {@code problems}
   */
  static YamlMap parse(Path file, Problems problems) {
    String name = file.toString();
    try (JsonParser parser = new YAMLFactory().createParser(file.toFile())) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new YamlMap(name, "", 1, Map.of(), problems);
      }
      if (first != JsonToken.START_OBJECT) {
        throw problems.add(new ConfigProblem(name, lineOf(parser), null,
            "expected a mapping of sections such as tls_server_config: and basic_auth_users:"));
      }
      Value root = read(parser, name, "", problems);
      if (parser.nextToken() != null) {
        throw problems.add(new ConfigProblem(name, lineOf(parser), null,
            "expected one YAML document, found more"));
      }
      return new YamlMap(name, "", root.line(), mapping(root), problems);
    } catch (JsonProcessingException e) {
      int at = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw problems.add(new ConfigProblem(name, at, null, "invalid YAML: " + firstLine(e)));
    } catch (IOException e) {
      throw problems.add(new ConfigProblem(name, -1, null, "cannot read the file ("
          + e.getClass().getSimpleName() + ")"));
    }
  }

  /**
   * The parser's own first line only: the lines after it quote the file, which may hold a key or a
   * password hash.
   */
  private static String firstLine(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName()
        : e.getOriginalMessage();
    int newline = message.indexOf('\n');
    String first = (newline < 0 ? message : message.substring(0, newline)).strip();
    // SnakeYAML's reader errors come wrapped with the class name of their cause in front.
    return Problems.withoutClassName(first);
  }

  private static int lineOf(JsonParser parser) {
    return parser.currentTokenLocation().getLineNr();
  }

  private static Value read(JsonParser parser, String file, String path, Problems problems)
      throws IOException {
    int line = lineOf(parser);
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      Map<String, Value> map = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        int keyLine = lineOf(parser);
        parser.nextToken();
        Value value = read(parser, file, join(path, key), problems);
        if (map.containsKey(key)) {
          problems.add(new ConfigProblem(file, keyLine, join(path, key),
              "defined more than once (first on line " + map.get(key).line() + ")"));
        } else {
          map.put(key, new Value(keyLine, value.content()));
        }
      }
      return new Value(line, map);
    }
    if (token == JsonToken.START_ARRAY) {
      List<Value> list = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        list.add(read(parser, file, path, problems));
      }
      return new Value(line, list);
    }
    if (token == JsonToken.VALUE_NULL) {
      return new Value(line, null);
    }
    return new Value(line, parser.getText());
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Value> mapping(Value value) {
    return (Map<String, Value>) value.content();
  }

  String key(String key) {
    return join(path, key);
  }

  int line() {
    return line;
  }

  String file() {
    return file;
  }

  /** True when {@code key} is present with a value; an empty value counts as absent, as in Go. */
  boolean has(String key) {
    known.add(key);
    Value value = entries.get(key);
    return value != null && !value.isNull();
  }

  /** Records a problem on {@code key} and returns the exception that abandons this section. */
  Problems.Invalid fail(String key, String message) {
    Value value = entries.get(key);
    return problems.add(new ConfigProblem(file, value == null ? line : value.line(), key(key),
        message));
  }

  /** Records a problem on {@code key} and goes on. */
  void problem(String key, String message) {
    fail(key, message);
  }

  Problems problems() {
    return problems;
  }

  private Value require(String key) {
    if (!has(key)) {
      throw problems.add(new ConfigProblem(file, line, key(key), "missing"));
    }
    return entries.get(key);
  }

  String string(String key) {
    Value value = require(key);
    if (value.content() instanceof String text) {
      return text;
    }
    throw fail(key, "expected a string, got " + describe(value));
  }

  Optional<String> optString(String key) {
    return has(key) ? Optional.of(string(key)) : Optional.empty();
  }

  Optional<Boolean> optBool(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    String text = string(key);
    return switch (text) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> throw fail(key, "expected true or false, got '" + text + "'");
    };
  }

  List<String> stringList(String key) {
    if (!has(key)) {
      return List.of();
    }
    Value value = entries.get(key);
    if (!(value.content() instanceof List<?> list)) {
      throw fail(key, "expected a list, got " + describe(value));
    }
    List<String> out = new ArrayList<>();
    for (Object element : list) {
      if (!(((Value) element).content() instanceof String text)) {
        throw fail(key, "expected a list of strings, found " + describe((Value) element));
      }
      out.add(text);
    }
    return out;
  }

  /** The mapping under {@code key}; empty when absent. */
  Optional<YamlMap> optChild(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    Value value = entries.get(key);
    if (!(value.content() instanceof Map<?, ?>)) {
      throw fail(key, "expected a mapping, got " + describe(value));
    }
    return Optional.of(new YamlMap(file, key(key), value.line(), mapping(value), problems));
  }

  /** Every key of this mapping, for mappings whose keys are names (users, headers). */
  Set<String> names() {
    known.addAll(entries.keySet());
    return entries.keySet();
  }

  /** True when {@code key} is written, even without a value. */
  boolean written(String key) {
    return entries.containsKey(key);
  }

  /** Marks {@code key} as recognized but refused, with the reason. */
  void unsupported(String key, String reason) {
    if (entries.containsKey(key)) {
      known.add(key);
      problem(key, "not supported by migration-exporter: " + reason);
    }
  }

  /** Reports every key that nothing asked for, listing the keys this mapping knows. */
  void finish() {
    for (String key : entries.keySet()) {
      if (!known.contains(key)) {
        problem(key, "unknown key; the keys here are " + String.join(", ", known));
      }
    }
  }

  private static String describe(Value value) {
    Object content = value.content();
    if (content instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (content instanceof List<?>) {
      return "a list";
    }
    return content == null ? "nothing" : "a string";
  }
}

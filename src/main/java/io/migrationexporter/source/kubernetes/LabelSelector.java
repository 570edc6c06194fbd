package io.migrationexporter.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector, matched here on listed objects rather than sent to the API server,
 * so that every check of a namespace shares one list: the text form of {@code kubectl -l}
 * ({@code app=pix,tier!=web,env in (prod,staging),!legacy}) and the {@code matchLabels} /
 * {@code matchExpressions} form of a workload's {@code spec.selector}.
 */
record LabelSelector(List<Requirement> requirements) {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?");
  private static final Pattern SET = Pattern.compile("(\\S+)\\s+(in|notin)\\s+\\(([^)]*)\\)");

  enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  record Requirement(String key, Operator operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case IN -> value != null && values.contains(value);
        case NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }
  }

  boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(requirement -> requirement.matches(labels));
  }

  /** The text form; throws IllegalArgumentException saying what is wrong. */
  /** The block's {@code selector} setting, checked; empty when it has none. */
  static String setting(ConfigNode block) {
    String selector = block.string("selector", "");
    if (block.has("selector")) {
      try {
        parse(selector);
      } catch (IllegalArgumentException e) {
        throw block.fail("selector", e.getMessage());
      }
    }
    return selector;
  }

  static LabelSelector parse(String text) {
    List<Requirement> requirements = new ArrayList<>();
    for (String part : splitOutsideParentheses(text)) {
      String term = part.strip();
      Matcher set = SET.matcher(term);
      Requirement requirement;
      if (set.matches()) {
        Set<String> values = Set.copyOf(List.of(set.group(3).strip().split("\\s*,\\s*")));
        requirement = new Requirement(key(set.group(1), term),
            set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN, values);
      } else if (term.contains("!=")) {
        String[] pair = term.split("!=", 2);
        requirement = new Requirement(key(pair[0], term), Operator.NOT_IN, Set.of(pair[1].strip()));
      } else if (term.contains("=")) {
        String[] pair = term.split("==?", 2);
        requirement = new Requirement(key(pair[0], term), Operator.IN, Set.of(pair[1].strip()));
      } else if (term.startsWith("!")) {
        requirement = new Requirement(key(term.substring(1), term), Operator.DOES_NOT_EXIST, Set.of());
      } else {
        requirement = new Requirement(key(term, term), Operator.EXISTS, Set.of());
      }
      requirements.add(requirement);
    }
    if (requirements.isEmpty()) {
      throw new IllegalArgumentException("an empty selector would select everything");
    }
    return new LabelSelector(List.copyOf(requirements));
  }

  private static String key(String raw, String term) {
    String key = raw.strip();
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("'" + term + "' is not a label requirement (key=value,"
          + " key!=value, key in (a,b), key notin (a,b), key, !key)");
    }
    return key;
  }

  private static List<String> splitOutsideParentheses(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == ',' && depth == 0) {
        parts.add(current.toString());
        current.setLength(0);
        continue;
      }
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      current.append(c);
    }
    if (!current.toString().isBlank()) {
      parts.add(current.toString());
    }
    return parts;
  }

  /**
   * A workload's {@code spec.selector}; throws IllegalArgumentException on a shape the API never
   * sends. An absent selector selects nothing (never every pod of the namespace).
   */
  static LabelSelector ofSpec(JsonNode selector) {
    List<Requirement> requirements = new ArrayList<>();
    JsonNode labels = selector.path("matchLabels");
    labels.fields().forEachRemaining(entry ->
        requirements.add(new Requirement(entry.getKey(), Operator.IN, Set.of(text(entry.getValue())))));
    for (JsonNode expression : selector.path("matchExpressions")) {
      String operator = text(expression.path("operator"));
      List<String> values = new ArrayList<>();
      expression.path("values").forEach(value -> values.add(text(value)));
      requirements.add(new Requirement(text(expression.path("key")), switch (operator) {
        case "In" -> Operator.IN;
        case "NotIn" -> Operator.NOT_IN;
        case "Exists" -> Operator.EXISTS;
        case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
        default -> throw new IllegalArgumentException("unknown selector operator " + operator);
      }, Set.copyOf(values)));
    }
    if (requirements.isEmpty()) {
      throw new IllegalArgumentException("a workload without a pod selector");
    }
    return new LabelSelector(List.copyOf(requirements));
  }

  private static String text(JsonNode node) {
    if (!node.isTextual()) {
      throw new IllegalArgumentException("a selector value that is not a string");
    }
    return node.asText();
  }
}

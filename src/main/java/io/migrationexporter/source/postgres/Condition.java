package io.migrationexporter.source.postgres;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A comparison of a query's value with a number, written {@code "== 0"}, {@code "> 10"}. */
record Condition(String operator, double threshold) {
  private static final Pattern SYNTAX =
      Pattern.compile("\\s*(==|!=|<=|>=|<|>)\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*");

  /** Parses {@code text}; empty when it is not an operator followed by a number. */
  static Optional<Condition> parse(String text) {
    Matcher matcher = SYNTAX.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Condition(matcher.group(1), Double.parseDouble(matcher.group(2))));
  }

  boolean test(double value) {
    return switch (operator) {
      case "==" -> value == threshold;
      case "!=" -> value != threshold;
      case "<" -> value < threshold;
      case "<=" -> value <= threshold;
      case ">" -> value > threshold;
      case ">=" -> value >= threshold;
      default -> throw new IllegalStateException("operator " + operator);
    };
  }

  @Override
  public String toString() {
    String number = threshold == Math.rint(threshold) ? String.valueOf((long) threshold)
        : String.format(Locale.ROOT, "%s", threshold);
    return operator + " " + number;
  }
}

package io.migrationexporter.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects the problems of one configuration load, so that a user sees them all at once. */
public final class Problems {
  private static final Pattern LINES = Pattern.compile(": \\d+(-\\d+)?$");
  private static final Pattern JAVA_CLASS_NAME = Pattern.compile(
      "\\b([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(Exception|Error): ");
  private final List<ConfigProblem> problems = new ArrayList<>();

  /** Thrown to abandon the entry being parsed once its problem is recorded. */
  public static final class Invalid extends RuntimeException {
    Invalid() {
      super(null, null, false, false);
    }
  }

  public Invalid add(ConfigOrigin origin, String key, String message) {
    problems.add(new ConfigProblem(fileOf(origin), origin == null ? -1 : origin.lineNumber(), key,
        message));
    return new Invalid();
  }

  public Invalid add(ConfigProblem problem) {
    problems.add(problem);
    return new Invalid();
  }

  /** Runs one entry's parsing; an {@link Invalid} ends that entry only, the rest goes on. */
  public void attempt(Runnable parse) {
    try {
      parse.run();
    } catch (Invalid recorded) {
      // already recorded: go on with the next entry so that every problem is reported
    }
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public List<ConfigProblem> list() {
    return List.copyOf(problems);
  }

  public void throwIfAny() throws ConfigException {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /**
   * A parser's message without the Java exception names some of them put in front of their words
   * ({@code java.io.IOException: resource not found}): a user reads the words.
   */
  public static String withoutClassName(String message) {
    return JAVA_CLASS_NAME.matcher(message).replaceAll("");
  }

  static String fileOf(ConfigOrigin origin) {
    if (origin == null) {
      return null;
    }
    if (origin.filename() != null) {
      return origin.filename();
    }
    if (origin.resource() != null) {
      return origin.resource();
    }
    // An origin named by description (reference.conf) carries its line in the description too.
    return LINES.matcher(origin.description()).replaceFirst("");
  }
}

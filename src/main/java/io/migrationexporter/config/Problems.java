package io.migrationexporter.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Collects the problems of one configuration load, so that a user sees them all at once. */
public final class Problems {
  private static final Pattern LINES = Pattern.compile(": \\d+(-\\d+)?$");
  private static final Pattern JAVA_CLASS_NAME = Pattern.compile(
      "\\b([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(Exception|Error): ");
  /** Problems without a file (or a line) first: they are about the whole file. */
  private static final Comparator<ConfigProblem> IN_FILE_ORDER = Comparator
      .comparing(ConfigProblem::file, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
      .thenComparingInt(ConfigProblem::line);
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

  /**
   * Abandons an entry whose problem follows from one already recorded (a check on a source whose
   * declaration failed): a second line would only send the user to the wrong place.
   */
  public Invalid consequence() {
    if (problems.isEmpty()) {
      throw new IllegalStateException("a consequence of no recorded problem");
    }
    return new Invalid();
  }

  int size() {
    return problems.size();
  }

  /**
   * Parses one entry; an {@link Invalid} ends that entry only, the rest goes on.
   *
   * @return what {@code parse} returned, empty when its problem was recorded
   */
  public <T> Optional<T> attempt(Supplier<T> parse) {
    try {
      return Optional.ofNullable(parse.get());
    } catch (Invalid recorded) {
      // already recorded: go on with the next entry so that every problem is reported
      return Optional.empty();
    }
  }

  /** The same for an entry that registers what it parses instead of returning it. */
  public void attempt(Runnable parse) {
    attempt(() -> {
      parse.run();
      return null;
    });
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  /** The problems in the order a user reads the files: by file, then by line. */
  public List<ConfigProblem> list() {
    List<ConfigProblem> sorted = new ArrayList<>(problems);
    sorted.sort(IN_FILE_ORDER);
    return List.copyOf(sorted);
  }

  public void throwIfAny() throws ConfigException {
    if (!problems.isEmpty()) {
      throw new ConfigException(list());
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

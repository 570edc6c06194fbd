package io.migrationexporter.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A strict reader over one object of the configuration. Every read names its key, so a wrong
 * value is reported with the file, line and full key; {@link #finish()} reports every key that
 * nothing read, with a suggestion when it looks like a misspelt known key.
 */
public final class ConfigNode {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
  private static final Pattern USER_INFO = Pattern.compile("//[^/?#]*@");
  static final int LONGEST_REGEX = 1000;
  static final Duration LONGEST_DURATION = Duration.ofDays(365);
  /** What a size may be at most: each one bounds a body held in memory. */
  static final long LARGEST_SIZE = 64L * 1024 * 1024;

  /** What {@link #whereSet} says of a value substituted from the process's environment. */
  public static final String ENVIRONMENT = "an environment variable";

  private final ConfigObject object;
  private final String path;
  private final Problems problems;
  private final Path baseDir;
  private final Definitions definitions;
  private final Set<String> known = new HashSet<>();

  /** @param definitions where the user's file defines each path, to tell repeated names */
  ConfigNode(ConfigObject object, String path, Problems problems, Path baseDir,
      Definitions definitions) {
    this.object = object;
    this.path = path;
    this.problems = problems;
    this.baseDir = baseDir;
    this.definitions = definitions;
  }

  public String path() {
    return path;
  }

  /** The full key of {@code key} under this node, as a user would write it. */
  public String key(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public ConfigOrigin origin() {
    return object.origin();
  }

  public Problems problems() {
    return problems;
  }

  /** True when {@code key} has the value of the bundled defaults, not one the user wrote. */
  public boolean isDefault(String key) {
    ConfigValue value = object.get(key);
    return value != null && ConfigLoader.REFERENCE.equals(Problems.fileOf(value.origin()));
  }

  /**
   * Where the value of {@code key} comes from, for a user: its file, or {@link #ENVIRONMENT} for
   * {@code key = ${?VARIABLE}}.
   */
  public String whereSet(String key) {
    ConfigValue value = object.get(key);
    ConfigOrigin origin = value == null ? object.origin() : value.origin();
    if (origin.filename() == null && origin.resource() == null) {
      return ENVIRONMENT;
    }
    return Problems.fileOf(origin);
  }

  public boolean has(String key) {
    known.add(key);
    ConfigValue value = object.get(key);
    return value != null && value.valueType() != ConfigValueType.NULL;
  }

  /** Records a problem on {@code key} (or on this node when the key is absent) and goes on. */
  public void problem(String key, String message) {
    fail(key, message);
  }

  /**
   * Records a problem on {@code key} and returns the exception that abandons this entry. When the
   * key is absent and a key nothing reads looks like a misspelling of it ({@code tokn} for
   * {@code token}), the problem is placed on that key's line and says so: that key is then not
   * reported again as unknown.
   */
  public Problems.Invalid fail(String key, String message) {
    ConfigValue value = object.get(key);
    if (value != null) {
      return problems.add(value.origin(), key(key), message);
    }
    Optional<String> misspelt = misspelling(key);
    if (misspelt.isEmpty()) {
      return problems.add(object.origin(), key(key), message);
    }
    known.add(misspelt.get());
    return problems.add(object.get(misspelt.get()).origin(), key(key), message
        + " (did you mean '" + key + "' where you wrote '" + misspelt.get() + "'?)");
  }

  /** A key of this object that nothing reads and that looks like {@code wanted} misspelt. */
  private Optional<String> misspelling(String wanted) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String present : object.keySet()) {
      if (known.contains(present) || present.equals(wanted)) {
        continue;
      }
      int distance = closeness(present, wanted);
      if (distance < bestDistance) {
        best = present;
        bestDistance = distance;
      }
    }
    return best == null ? Optional.empty() : Optional.of(best);
  }

  /** Records a problem on this node itself. */
  public Problems.Invalid failHere(String message) {
    return problems.add(object.origin(), path, message);
  }

  private ConfigValue require(String key) {
    known.add(key);
    ConfigValue value = object.get(key);
    if (value == null || value.valueType() == ConfigValueType.NULL) {
      throw fail(key, "missing, this key is required");
    }
    return value;
  }

  private Optional<ConfigValue> optional(String key) {
    known.add(key);
    ConfigValue value = object.get(key);
    if (value == null || value.valueType() == ConfigValueType.NULL) {
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private Problems.Invalid wrongType(String key, ConfigValue value, String expected) {
    return problems.add(value.origin(), key(key), "expected " + expected + ", got "
        + describe(value));
  }

  private static String describe(ConfigValue value) {
    return switch (value.valueType()) {
      case OBJECT -> "an object";
      case LIST -> "a list";
      case BOOLEAN -> "a boolean (" + value.unwrapped() + ")";
      case NUMBER -> "a number (" + value.unwrapped() + ")";
      case STRING -> "'" + value.unwrapped() + "'";
      case NULL -> "null";
    };
  }

  private String asString(String key, ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING || value.valueType() == ConfigValueType.NUMBER) {
      return String.valueOf(value.unwrapped());
    }
    throw wrongType(key, value, "a string");
  }

  public String string(String key) {
    return asString(key, require(key));
  }

  public Optional<String> optString(String key) {
    return optional(key).map(value -> asString(key, value));
  }

  public String string(String key, String fallback) {
    return optString(key).orElse(fallback);
  }

  /** One of {@code choices}, compared without case. */
  public String choice(String key, List<String> choices) {
    String value = string(key);
    for (String choice : choices) {
      if (choice.equalsIgnoreCase(value)) {
        return choice;
      }
    }
    throw fail(key, "'" + value + "' is not one of " + String.join(", ", choices));
  }

  public boolean bool(String key) {
    ConfigValue value = require(key);
    if (value.valueType() != ConfigValueType.BOOLEAN) {
      throw wrongType(key, value, "true or false");
    }
    return (Boolean) value.unwrapped();
  }

  public boolean bool(String key, boolean fallback) {
    return has(key) ? bool(key) : fallback;
  }

  public int integer(String key, int min, int max) {
    ConfigValue value = require(key);
    if (value.valueType() != ConfigValueType.NUMBER
        || !(value.unwrapped() instanceof Integer || value.unwrapped() instanceof Long)) {
      throw wrongType(key, value, "a whole number");
    }
    long number = ((Number) value.unwrapped()).longValue();
    if (number < min || number > max) {
      throw fail(key, number + " is out of range, expected " + min + " to " + max);
    }
    return (int) number;
  }

  public int integer(String key, int min, int max, int fallback) {
    return has(key) ? integer(key, min, max) : fallback;
  }

  /** A number, whole or not, from {@code min} to {@code max}. */
  public double number(String key, double min, double max) {
    ConfigValue value = require(key);
    if (value.valueType() != ConfigValueType.NUMBER) {
      throw wrongType(key, value, "a number");
    }
    double number = ((Number) value.unwrapped()).doubleValue();
    if (!(number >= min && number <= max)) {
      throw fail(key, number + " is out of range, expected " + min + " to " + max);
    }
    return number;
  }

  /** A duration such as {@code 500ms}, {@code 10s} or {@code 2m}, strictly positive. */
  public Duration duration(String key) {
    ConfigValue value = require(key);
    Duration duration;
    try {
      duration = object.toConfig().getDuration(ConfigUtil.joinPath(key));
    } catch (ConfigException e) {
      throw problems.add(value.origin(), key(key), "expected a duration such as 500ms, 10s or 2m, got "
          + describe(value));
    }
    if (duration.isNegative() || duration.isZero()) {
      throw fail(key, "must be longer than zero");
    }
    // Schedules add and multiply durations, and the collector counts in nanoseconds (292 years):
    // a value check-config accepted must not overflow when the exporter starts.
    if (duration.compareTo(LONGEST_DURATION) > 0) {
      throw fail(key, "must be at most 365d, got " + describe(value));
    }
    return duration;
  }

  public Optional<Duration> optDuration(String key) {
    return has(key) ? Optional.of(duration(key)) : Optional.empty();
  }

  public Duration duration(String key, Duration fallback) {
    return optDuration(key).orElse(fallback);
  }

  /** A size such as {@code 512KiB} or {@code 1MiB}, strictly positive. */
  public long bytes(String key) {
    ConfigValue value = require(key);
    long bytes;
    try {
      bytes = object.toConfig().getBytes(ConfigUtil.joinPath(key));
    } catch (ConfigException e) {
      throw problems.add(value.origin(), key(key), "expected a size such as 512KiB or 1MiB, got "
          + describe(value));
    }
    if (bytes <= 0) {
      throw fail(key, "must be larger than zero");
    }
    if (bytes > LARGEST_SIZE) {
      throw fail(key, "must be at most 64MiB, got " + describe(value));
    }
    return bytes;
  }

  public List<String> stringList(String key) {
    ConfigValue value = require(key);
    if (value.valueType() != ConfigValueType.LIST) {
      throw wrongType(key, value, "a list such as [a, b]");
    }
    List<String> out = new ArrayList<>();
    for (ConfigValue element : (ConfigList) value) {
      out.add(asString(key, element));
    }
    return out;
  }

  public Optional<List<String>> optStringList(String key) {
    return has(key) ? Optional.of(stringList(key)) : Optional.empty();
  }

  public Map<String, String> stringMap(String key) {
    if (!has(key)) {
      return Map.of();
    }
    ConfigNode child = child(key);
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : child.object.keySet()) {
      out.put(name, child.string(name));
    }
    return out;
  }

  /**
   * An absolute http or https URL without a user name or password: those would be printed with
   * the URL (check-config, logs), and HTTP clients do not send them anyway.
   */
  public URI url(String key) {
    return url(key, false);
  }

  /**
   * An absolute http or https URL; with {@code allowUserInfo}, a {@code user:password@} part is
   * accepted for a caller that moves it into a secret header (it is masked in every message).
   */
  public URI url(String key, boolean allowUserInfo) {
    String text = string(key);
    String shown = USER_INFO.matcher(text).replaceFirst("//" + Redactor.MASK + "@");
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw fail(key, "'" + shown + "' is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw fail(key, "'" + shown + "' is not an http or https URL");
    }
    if (uri.getRawUserInfo() != null && !allowUserInfo) {
      throw fail(key, "the URL carries a user name or password, which would be shown wherever the"
          + " URL is; send credentials in a header (Authorization), which is kept secret");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw fail(key, "'" + shown + "' has no host");
    }
    // java.net.URI takes any digits; the HTTP clients then refuse the URL at their first call.
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw fail(key, "'" + shown + "' has an invalid port, expected 1 to 65535");
    }
    return uri;
  }

  public Pattern regex(String key) {
    String text = string(key);
    if (text.length() > LONGEST_REGEX) {
      // The JDK compiles a long literal in time quadratic in its length: minutes for 100,000.
      throw fail(key, "a regular expression of " + text.length() + " characters is too long (at"
          + " most " + LONGEST_REGEX + ")");
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw fail(key, "invalid regular expression '" + text + "': " + e.getDescription()
          + " near index " + e.getIndex());
    }
  }

  public Optional<Pattern> optRegex(String key) {
    return has(key) ? Optional.of(regex(key)) : Optional.empty();
  }

  /** A path, relative to the directory of the configuration file. */
  public Path file(String key) {
    String text = string(key);
    try {
      return baseDir.resolve(text).normalize();
    } catch (InvalidPathException e) {
      // A NUL, or characters the file system's encoding cannot hold (non-ASCII in a C locale).
      throw fail(key, "'" + text + "' is not a usable path: " + e.getReason());
    }
  }

  public Optional<Path> optFile(String key) {
    return has(key) ? Optional.of(file(key)) : Optional.empty();
  }

  /**
   * A path to a regular file that must exist and be readable now: not a directory, a pipe that
   * would block the reader or a device that never ends.
   */
  public Path readableFile(String key) {
    return readableFile(key, Long.MAX_VALUE);
  }

  private Path readableFile(String key, long largest) {
    Path file = file(key);
    Optional<String> refusal = ConfigFiles.refusal(file, largest);
    if (refusal.isPresent()) {
      throw fail(key, refusal.get());
    }
    return file;
  }

  /**
   * A credential given either inline as {@code key} (usually {@code ${?ENV_VAR}}) or as a path in
   * {@code key-file}; at most one of them. Empty when neither is set.
   */
  public Optional<Secret> secret(String key) {
    String fileKey = key + "-file";
    boolean inline = has(key);
    boolean fromFile = has(fileKey);
    if (inline && fromFile) {
      throw fail(fileKey, "set either " + key(key) + " or " + key(fileKey) + ", not both");
    }
    if (inline) {
      String value = asString(key, object.get(key));
      return Optional.of(checked(key, new Secret(value, "inline")));
    }
    if (fromFile) {
      Path file = readableFile(fileKey, ConfigFiles.LARGEST_SECRET);
      String value;
      try {
        value = ConfigFiles.readText(file, ConfigFiles.LARGEST_SECRET).strip();
      } catch (ConfigFiles.Refused e) {
        throw fail(fileKey, e.getMessage());
      } catch (IOException e) {
        throw fail(fileKey, "cannot read file " + file + ": " + e.getClass().getSimpleName());
      }
      return Optional.of(checked(fileKey, new Secret(value, "file " + file)));
    }
    return Optional.empty();
  }

  private Secret checked(String key, Secret secret) {
    if (secret.reveal().length() < Redactor.MIN_SECRET_LENGTH) {
      throw fail(key, "a secret needs at least " + Redactor.MIN_SECRET_LENGTH + " characters");
    }
    return secret;
  }

  /** A list of objects, such as the steps of a migration; each element is a node of its own. */
  public List<ConfigNode> objectList(String key) {
    ConfigValue value = require(key);
    if (value.valueType() != ConfigValueType.LIST) {
      throw wrongType(key, value, "a list of objects [{ ... }, { ... }]");
    }
    List<ConfigNode> out = new ArrayList<>();
    int index = 0;
    for (ConfigValue element : (ConfigList) value) {
      String elementKey = key + "[" + index++ + "]";
      if (element.valueType() != ConfigValueType.OBJECT) {
        throw problems.add(element.origin(), key(elementKey), "expected an object { ... }, got "
            + describe(element));
      }
      out.add(new ConfigNode((ConfigObject) element, key(elementKey), problems, baseDir,
          definitions));
    }
    return out;
  }

  public ConfigNode child(String key) {
    ConfigValue value = require(key);
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw wrongType(key, value, "an object { ... }");
    }
    return new ConfigNode((ConfigObject) value, key(key), problems, baseDir, definitions);
  }

  /** An empty node at {@code key}, which is not set: every key read there gets its fallback. */
  ConfigNode absent(String key) {
    return new ConfigNode(ConfigFactory.empty().root(), key(key), problems, baseDir, definitions);
  }

  public Optional<ConfigNode> optChild(String key) {
    return has(key) ? Optional.of(child(key)) : Optional.empty();
  }

  /**
   * The objects under {@code key}, by name, in the order they are written in the file. Names must
   * be simple (letters, digits, '-' and '_'), because they become label values and URL parts.
   */
  public Map<String, ConfigNode> children(String key) {
    if (!has(key)) {
      return Map.of();
    }
    ConfigNode parent = child(key);
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(parent.object.entrySet());
    entries.sort(Comparator.comparing((Map.Entry<String, ConfigValue> e) -> fileOrder(e.getValue()))
        .thenComparing(e -> e.getValue().origin().lineNumber())
        .thenComparing(Map.Entry::getKey));
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : entries) {
      String name = entry.getKey();
      parent.known.add(name);
      if (!NAME.matcher(name).matches()) {
        parent.problem(name, "invalid name, use letters, digits, '-' and '_'");
        continue;
      }
      ConfigValue value = entry.getValue();
      Optional<Definitions.Repeat> repeat = definitions.under(parent.key(name));
      if (repeat.isPresent()) {
        problems.add(repeated(parent.key(name), repeat.get()));
        continue;
      }
      if (value.valueType() != ConfigValueType.OBJECT) {
        parent.problem(name, "expected an object { ... }, got " + describe(value));
        continue;
      }
      out.put(name, new ConfigNode((ConfigObject) value, parent.key(name), problems, baseDir,
          definitions));
    }
    return out;
  }

  /** A name written twice (or a key under it set twice), located at its second definition. */
  private static ConfigProblem repeated(String name, Definitions.Repeat repeat) {
    String lines = " (lines " + repeat.firstLine() + " and " + repeat.secondLine() + ")";
    String message = repeat.path().equals(name)
        ? "defined more than once" + lines + "; each name must be unique"
        : "sets " + repeat.path() + " more than once" + lines;
    return new ConfigProblem(repeat.file(), repeat.secondLine(), name, message);
  }

  /** Entries of the user's file first, defaults from reference.conf after them. */
  private static int fileOrder(ConfigValue value) {
    return value.origin().filename() != null ? 0 : 1;
  }

  /** Reports every key of this node that nothing asked for. */
  public void finish() {
    for (String key : object.keySet()) {
      if (!known.contains(key)) {
        String hint = suggestion(key).map(s -> " (did you mean '" + s + "'?)").orElse("");
        problem(key, "unknown key" + hint);
      }
    }
  }

  private Optional<String> suggestion(String unknown) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = closeness(unknown, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best == null ? Optional.empty() : Optional.of(best);
  }

  /**
   * The edit distance between {@code written} and {@code candidate} when it is small enough for
   * one to be a misspelling of the other, else {@link Integer#MAX_VALUE}.
   */
  private static int closeness(String written, String candidate) {
    int tolerated = Math.max(1, Math.min(3, written.length() / 3));
    // The distance is at least the difference in length: a pasted paragraph costs nothing.
    if (Math.abs(candidate.length() - written.length()) > tolerated) {
      return Integer.MAX_VALUE;
    }
    int distance = editDistance(written.toLowerCase(Locale.ROOT),
        candidate.toLowerCase(Locale.ROOT));
    return distance <= tolerated ? distance : Integer.MAX_VALUE;
  }

  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}

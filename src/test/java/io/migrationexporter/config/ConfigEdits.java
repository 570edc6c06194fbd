package io.migrationexporter.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Random edits of a valid HOCON file, the kinds a hurried hand or a broken copy makes: a character
 * or a line lost, doubled or moved, a value of another type, a cut file, stray bytes, unbalanced
 * braces, absurd nesting or sizes, substitutions and includes that cannot resolve.
 */
final class ConfigEdits {
  /** Values of every type, and the edge of every range a key may check. */
  private static final List<String> VALUES = List.of(
      "true", "false", "null", "0", "-1", "42", "3.14", "1e400", "-1e400",
      "99999999999999999999999", "9223372036854775807", "-9223372036854775808", "\"\"", "\" \"",
      "x", "\"x y\"", "[]", "[a, b]", "[1, [2, {}]]", "[null]", "{}", "{ a = 1 }", "{ a { b = [] } }",
      "5 parsecs", "-5s", "0s", "0.5ms", "1ns", "999999999999999d", "9223372036854775807ns",
      "106751 d", "1e30 s", "1 MiB", "99999999999 TiB", "-1 KiB", "0 B", "1e400 B",
      "\"http://[::1\"", "\"http://127.0.0.1:99999/\"", "\"http://a b/\"", "\"https://u:p@h/\"",
      "\"ftp://x/\"", "\"http:///\"", "\"http://h/%zz\"", "\"https://\"", "\"((\"", "\"[a-\"",
      "\"*\"", "\"a{1000000}{1000000}\"", "${undefined.path}", "${?UNDEFINED_ENV_VAR}", "${}",
      "\"\"\"two\nlines\"\"\"", "\"tab\\there\\u0000nul\\n\"", "\"\u00e9\ud83d\ude42\"",
      "\"\\ud800\"", "\"../../../../../../etc/passwd\"", "\"/\"", "\".\"", "\"/dev/null\"",
      "\"127.0.0.1:0\"", "\":\"", "\"host:\"", "\"[::1]:99999\"", "\"[::1]:-1\"", "\":8642\"",
      "\"GET\\r\\nX: y\"", "[\"\\n\"]", "[503, 600, 99, 5xx, 6xx, x]", "[\"2xx-\"]");

  private final Random random;
  private final List<String> paths;
  private final String fileName;
  private final List<String> done = new ArrayList<>();

  /**
   * @param paths the keys of the file and of reference.conf, to set known keys to wrong values
   * @param fileName the edited file's own name, for an include of itself
   */
  ConfigEdits(Random random, List<String> paths, String fileName) {
    this.random = random;
    this.paths = paths;
    this.fileName = fileName;
  }

  /** Every path of {@code hocon} and of the bundled defaults, objects included. */
  static List<String> paths(String hocon) {
    Set<String> paths = new TreeSet<>();
    for (String text : List.of(hocon, reference())) {
      ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
          .setAllowMissing(true)).entrySet().forEach(entry -> {
            String path = entry.getKey();
            paths.add(path);
            for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
              paths.add(path.substring(0, dot));
            }
          });
    }
    return List.copyOf(paths);
  }

  private static String reference() {
    try (var in = ConfigEdits.class.getResourceAsStream("/reference.conf")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException | NullPointerException e) {
      throw new AssertionError("reference.conf is not on the class path", e);
    }
  }

  /** What was done, for the failure message. */
  List<String> done() {
    return done;
  }

  /** One to three edits of {@code text}, then now and then bytes that are not UTF-8. */
  byte[] apply(String text) {
    String edited = text;
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      edited = edit(edited);
    }
    byte[] bytes = edited.getBytes(StandardCharsets.UTF_8);
    return random.nextInt(8) == 0 ? rawBytes(bytes) : bytes;
  }

  private String edit(String text) {
    return switch (random.nextInt(15)) {
      case 0 -> deleteCharacter(text);
      case 1 -> deleteLine(text);
      case 2 -> duplicateLine(text);
      case 3 -> swapLines(text);
      case 4, 5 -> replaceValue(text);
      case 6 -> setKnownKey(text);
      case 7 -> truncate(text);
      case 8 -> insert(text, "stray", pick("{", "}", "[", "]", "\"", "\"\"\"", "${", "=", ",",
          "}}}}", "{{{{", ":", "include", "\\", "//", "#", "+=", "\n}\n"));
      case 9 -> deepNesting(text);
      case 10 -> hugeString(text);
      case 11 -> substitution(text);
      case 12 -> include(text);
      case 13 -> insert(text, "random text", randomText());
      default -> insert(text, "random line", "\n" + randomText() + "\n");
    };
  }

  private String note(String what, String text) {
    done.add(what);
    return text;
  }

  private String pick(String... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private int position(String text) {
    return text.isEmpty() ? 0 : random.nextInt(text.length() + 1);
  }

  private String deleteCharacter(String text) {
    if (text.isEmpty()) {
      return text;
    }
    int at = random.nextInt(text.length());
    return note("delete character " + at + " ('" + text.charAt(at) + "')",
        text.substring(0, at) + text.substring(at + 1));
  }

  private List<String> lines(String text) {
    return new ArrayList<>(Arrays.asList(text.split("\n", -1)));
  }

  private String deleteLine(String text) {
    List<String> lines = lines(text);
    int at = random.nextInt(lines.size());
    String removed = lines.remove(at);
    return note("delete line " + (at + 1) + ": " + removed, String.join("\n", lines));
  }

  private String duplicateLine(String text) {
    List<String> lines = lines(text);
    int at = random.nextInt(lines.size());
    lines.add(at, lines.get(at));
    return note("duplicate line " + (at + 1) + ": " + lines.get(at), String.join("\n", lines));
  }

  private String swapLines(String text) {
    List<String> lines = lines(text);
    int a = random.nextInt(lines.size());
    int b = random.nextInt(lines.size());
    String kept = lines.get(a);
    lines.set(a, lines.get(b));
    lines.set(b, kept);
    return note("swap lines " + (a + 1) + " and " + (b + 1), String.join("\n", lines));
  }

  /** The text after the first '=' or ':' of a random line becomes a value of another type. */
  private String replaceValue(String text) {
    List<String> lines = lines(text);
    List<Integer> assignments = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.trim().startsWith("#") && (line.contains("=") || line.contains(":"))) {
        assignments.add(i);
      }
    }
    if (assignments.isEmpty()) {
      return setKnownKey(text);
    }
    int at = assignments.get(random.nextInt(assignments.size()));
    String line = lines.get(at);
    int equals = line.indexOf('=');
    int colon = line.indexOf(':');
    int separator = equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
    String value = VALUES.get(random.nextInt(VALUES.size()));
    lines.set(at, line.substring(0, separator + 1) + " " + value);
    return note("line " + (at + 1) + " set to " + value, String.join("\n", lines));
  }

  /** A known key (of this file or of the defaults) set to a value of any type. */
  private String setKnownKey(String text) {
    String path = paths.get(random.nextInt(paths.size()));
    String value = VALUES.get(random.nextInt(VALUES.size()));
    String line = path + " = " + value;
    return random.nextBoolean() ? note("append " + line, text + "\n" + line + "\n")
        : note("prepend " + line, line + "\n" + text);
  }

  private String truncate(String text) {
    int at = position(text);
    return note("truncate at " + at, text.substring(0, at));
  }

  private String insert(String text, String what, String inserted) {
    int at = position(text);
    return note("insert " + what + " at " + at + ": " + inserted,
        text.substring(0, at) + inserted + text.substring(at));
  }

  private String randomText() {
    StringBuilder out = new StringBuilder();
    int length = 1 + random.nextInt(12);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        out.append((char) (' ' + random.nextInt(95)));
      } else if (kind < 8) {
        out.append((char) random.nextInt(32));
      } else {
        out.appendCodePoint(random.nextInt(0x10FFFF + 1));
      }
    }
    return out.toString();
  }

  /** Thousands of '{' or '[' opened (and sometimes closed) at the start of a line. */
  private String deepNesting(String text) {
    int depth = List.of(100, 600, 3000, 10_000, 100_000).get(random.nextInt(5));
    boolean objects = random.nextBoolean();
    boolean closed = random.nextBoolean();
    StringBuilder nested = new StringBuilder(objects ? "deep " : "deep = ");
    nested.append((objects ? "a {" : "[").repeat(depth));
    if (closed) {
      nested.append(objects ? "}".repeat(depth) : "]".repeat(depth));
    }
    List<String> lines = lines(text);
    int at = random.nextInt(lines.size() + 1);
    lines.add(at, nested.toString());
    return note("nest " + depth + (objects ? " objects" : " lists") + (closed ? "" : " unclosed")
        + " at line " + (at + 1), String.join("\n", lines));
  }

  private String hugeString(String text) {
    int size = List.of(10_000, 100_000, 300_000).get(random.nextInt(3));
    String value = random.nextBoolean() ? "\"" + "x".repeat(size) + "\""
        : "\"\"\"" + "line\n".repeat(size / 5) + "\"\"\"";
    boolean hugeKey = random.nextBoolean();
    String path = hugeKey ? "k".repeat(size) : paths.get(random.nextInt(paths.size()));
    return note("set " + (hugeKey ? "a " + size + "-character key" : path)
        + " to a string of " + size + " characters", text + "\n" + path + " = " + value + "\n");
  }

  private String substitution(String text) {
    String path = paths.get(random.nextInt(paths.size()));
    String line = switch (random.nextInt(6)) {
      case 0 -> path + " = ${" + path + "}";
      case 1 -> path + " = ${" + path + "} x";
      case 2 -> "loop-a = ${loop-b}\nloop-b = ${loop-a}\n" + path + " = ${loop-a}";
      case 3 -> path + " = ${undefined." + path + "}";
      case 4 -> path + " = ${?" + path + "}";
      default -> path + " = ${" + paths.get(random.nextInt(paths.size())) + "}";
    };
    return random.nextBoolean() ? note("append " + line, text + "\n" + line + "\n")
        : note("prepend " + line, line + "\n" + text);
  }

  private String include(String text) {
    String line = pick("include \"missing.conf\"", "include required(\"missing.conf\")",
        "include \"" + fileName + "\"", "include required(file(\"" + fileName + "\"))",
        "include file(\"/\")", "include required(classpath(\"missing.conf\"))",
        "include \"reference.conf\"", "include required(\"\")");
    return insert(text, "include", "\n" + line + "\n");
  }

  /** Stray bytes that are not UTF-8, or a cut inside a multi-byte character. */
  private byte[] rawBytes(byte[] bytes) {
    int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
    if (random.nextBoolean()) {
      byte[] stray = new byte[1 + random.nextInt(8)];
      random.nextBytes(stray);
      stray[0] = (byte) pick("\u00c3", "\u00ff", "\u0080", "\u00fe").charAt(0);
      byte[] out = new byte[bytes.length + stray.length];
      System.arraycopy(bytes, 0, out, 0, at);
      System.arraycopy(stray, 0, out, at, stray.length);
      System.arraycopy(bytes, at, out, at + stray.length, bytes.length - at);
      done.add("insert " + stray.length + " raw bytes at byte " + at);
      return out;
    }
    done.add("truncate at byte " + at);
    return Arrays.copyOf(bytes, at);
  }
}

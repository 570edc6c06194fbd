package io.migrationexporter.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each path of a HOCON file is defined, read from the file's text. Typesafe Config merges a
 * name written twice without a trace when both definitions have the same shape (the second simply
 * replaces the first), so a copy-pasted check that was not renamed can only be seen in the text.
 *
 * <p>A definition is an object literal ({@code front { ... }}) or a value assigned to a key
 * ({@code front.http.url = "..."}). Dotted keys that add to an object written elsewhere are not
 * repeats; {@code +=}, values built on substitutions and the contents of lists are not
 * definitions. The file has already been
 * parsed by Typesafe Config, so it is valid HOCON; should this reader still meet something it
 * does not follow, it reports no repeat at all rather than a wrong one.
 */
final class Definitions {
  private static final Definitions NONE = new Definitions("", Map.of());

  private final String file;
  /** The lines of every path defined more than once; usually none. */
  private final Map<String, List<Integer>> repeated;

  /** A path defined more than once in {@code file}, with the lines of its first two definitions. */
  record Repeat(String file, String path, int firstLine, int secondLine) {}

  private Definitions(String file, Map<String, List<Integer>> lines) {
    this.file = file;
    this.repeated = new LinkedHashMap<>();
    lines.forEach((path, at) -> {
      if (at.size() > 1) {
        repeated.put(path, at);
      }
    });
  }

  static Definitions none() {
    return NONE;
  }

  /** Reads {@code text}, the content of {@code file}. */
  static Definitions scan(String file, String text) {
    try {
      Reader reader = new Reader(new Tokens(text).all());
      reader.root();
      return new Definitions(file, reader.lines);
    } catch (Unfollowed e) {
      return NONE;
    }
  }

  /** The repeat of {@code path} itself or of a path under it, the shallowest first. */
  Optional<Repeat> under(String path) {
    return repeated.entrySet().stream()
        .filter(e -> e.getKey().equals(path) || e.getKey().startsWith(path + "."))
        .map(e -> new Repeat(file, e.getKey(), e.getValue().get(0), e.getValue().get(1)))
        .min(Comparator.comparingInt((Repeat r) -> r.path().length())
            .thenComparingInt(Repeat::secondLine));
  }

  /** Thrown when the text holds something this reader does not follow. */
  private static final class Unfollowed extends RuntimeException {
    Unfollowed() {
      super(null, null, false, false);
    }
  }

  private enum Type { NEWLINE, COMMA, SEPARATOR, APPEND, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET,
    CLOSE_BRACKET, STRING, UNQUOTED, SUBSTITUTION, END }

  /** @param spaced whitespace came right before it */
  private record Token(Type type, String text, int line, boolean spaced) {}

  /** Splits HOCON text into tokens; comments and whitespace only set {@code spaced}. */
  private static final class Tokens {
    private static final String NOT_UNQUOTED = "$\"{}[]:=,+#`^?!@*&\\";

    private final String text;
    private int at;
    private int line = 1;

    Tokens(String text) {
      this.text = text;
    }

    List<Token> all() {
      List<Token> out = new ArrayList<>();
      boolean spaced = false;
      while (true) {
        if (at >= text.length()) {
          out.add(new Token(Type.END, "", line, spaced));
          return out;
        }
        char c = text.charAt(at);
        if (c == '\n') {
          out.add(new Token(Type.NEWLINE, "\n", line++, spaced));
          at++;
          spaced = false;
        } else if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF') {
          at++;
          spaced = true;
        } else if (c == '#' || text.startsWith("//", at)) {
          while (at < text.length() && text.charAt(at) != '\n') {
            at++;
          }
          spaced = true;
        } else {
          out.add(token(c, spaced));
          spaced = false;
        }
      }
    }

    private Token token(char c, boolean spaced) {
      int start = line;
      switch (c) {
        case ',' -> {
          at++;
          return new Token(Type.COMMA, ",", start, spaced);
        }
        case ':', '=' -> {
          at++;
          return new Token(Type.SEPARATOR, "=", start, spaced);
        }
        case '{' -> {
          at++;
          return new Token(Type.OPEN_BRACE, "{", start, spaced);
        }
        case '}' -> {
          at++;
          return new Token(Type.CLOSE_BRACE, "}", start, spaced);
        }
        case '[' -> {
          at++;
          return new Token(Type.OPEN_BRACKET, "[", start, spaced);
        }
        case ']' -> {
          at++;
          return new Token(Type.CLOSE_BRACKET, "]", start, spaced);
        }
        case '"' -> {
          return new Token(Type.STRING, text.startsWith("\"\"\"", at) ? tripleQuoted() : quoted(),
              start, spaced);
        }
        default -> {
          if (text.startsWith("+=", at)) {
            at += 2;
            return new Token(Type.APPEND, "+=", start, spaced);
          }
          if (text.startsWith("${", at)) {
            substitution();
            return new Token(Type.SUBSTITUTION, "", start, spaced);
          }
          return new Token(Type.UNQUOTED, unquoted(), start, spaced);
        }
      }
    }

    private String quoted() {
      StringBuilder out = new StringBuilder();
      at++;
      while (at < text.length()) {
        char c = text.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\n') {
          throw new Unfollowed();
        }
        if (c == '\\' && at < text.length()) {
          out.append(text.charAt(at++));
        } else {
          out.append(c);
        }
      }
      throw new Unfollowed();
    }

    /** A """ string ends at the first """; quotes right after it still belong to the string. */
    private String tripleQuoted() {
      at += 3;
      int end = text.indexOf("\"\"\"", at);
      if (end < 0) {
        throw new Unfollowed();
      }
      while (end + 3 < text.length() && text.charAt(end + 3) == '"') {
        end++;
      }
      String value = text.substring(at, end);
      line += (int) value.chars().filter(ch -> ch == '\n').count();
      at = end + 3;
      return value;
    }

    private void substitution() {
      at += 2;
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == '}') {
          at++;
          return;
        }
        if (c == '"') {
          quoted();
        } else if (c == '\n') {
          throw new Unfollowed();
        } else {
          at++;
        }
      }
      throw new Unfollowed();
    }

    private String unquoted() {
      int start = at;
      while (at < text.length()) {
        char c = text.charAt(at);
        if (Character.isWhitespace(c) || Character.isSpaceChar(c) || NOT_UNQUOTED.indexOf(c) >= 0
            || text.startsWith("//", at)) {
          break;
        }
        at++;
      }
      if (at == start) {
        throw new Unfollowed();
      }
      return text.substring(start, at);
    }
  }

  /** Walks the tokens as HOCON objects and records the line of every definition by full path. */
  private static final class Reader {
    private final List<Token> tokens;
    private final Map<String, List<Integer>> lines = new LinkedHashMap<>();
    private int at;

    Reader(List<Token> tokens) {
      this.tokens = tokens;
    }

    private Token peek() {
      return tokens.get(at);
    }

    private Token next() {
      Token token = tokens.get(at);
      if (token.type() != Type.END) {
        at++;
      }
      return token;
    }

    void root() {
      skip(Type.NEWLINE);
      if (peek().type() == Type.OPEN_BRACE) {
        next();
        body(List.of(), true);
        skip(Type.NEWLINE);
        if (peek().type() != Type.END) {
          throw new Unfollowed();
        }
      } else {
        body(List.of(), false);
      }
    }

    private void skip(Type... types) {
      while (List.of(types).contains(peek().type())) {
        next();
      }
    }

    private void body(List<String> prefix, boolean braced) {
      while (true) {
        skip(Type.NEWLINE, Type.COMMA);
        Token first = peek();
        if (first.type() == Type.END) {
          if (braced) {
            throw new Unfollowed();
          }
          return;
        }
        if (first.type() == Type.CLOSE_BRACE) {
          if (!braced) {
            throw new Unfollowed();
          }
          next();
          return;
        }
        if (first.type() == Type.UNQUOTED && first.text().equals("include")) {
          endOfEntry();
          continue;
        }
        List<String> path = new ArrayList<>(prefix);
        path.addAll(key());
        Token after = next();
        switch (after.type()) {
          case OPEN_BRACE -> {
            define(path, first.line());
            body(path, true);
            rest(path);
          }
          case SEPARATOR -> value(path, first.line(), true);
          case APPEND -> value(path, first.line(), false);
          default -> throw new Unfollowed();
        }
      }
    }

    /** A key: strings and unquoted text up to '=', ':', '+=' or '{'; dots split unquoted parts. */
    private List<String> key() {
      List<String> segments = new ArrayList<>();
      StringBuilder segment = new StringBuilder();
      boolean any = false;
      while (true) {
        Token token = peek();
        if (token.type() == Type.SEPARATOR || token.type() == Type.APPEND
            || token.type() == Type.OPEN_BRACE) {
          break;
        }
        if (token.type() != Type.STRING && token.type() != Type.UNQUOTED) {
          throw new Unfollowed();
        }
        next();
        if (any && token.spaced()) {
          segment.append(' ');
        }
        any = true;
        if (token.type() == Type.STRING) {
          segment.append(token.text());
          continue;
        }
        for (char c : token.text().toCharArray()) {
          if (c == '.') {
            segments.add(segment.toString().trim());
            segment.setLength(0);
          } else {
            segment.append(c);
          }
        }
      }
      if (!any) {
        throw new Unfollowed();
      }
      segments.add(segment.toString().trim());
      return segments;
    }

    /**
     * A value after '=' or ':'. One that uses a substitution ({@code token = ${?TOKEN}},
     * {@code path = ${path}":/opt"}) builds on an earlier definition instead of repeating it.
     */
    private void value(List<String> path, int line, boolean defines) {
      skip(Type.NEWLINE);
      if (peek().type() == Type.OPEN_BRACE) {
        next();
        if (defines) {
          define(path, line);
        }
        body(path, true);
      } else if (defines && !substitutionBeforeEndOfEntry()) {
        define(path, line);
      }
      rest(path);
    }

    private boolean substitutionBeforeEndOfEntry() {
      for (int i = at; i < tokens.size(); i++) {
        switch (tokens.get(i).type()) {
          case SUBSTITUTION -> {
            return true;
          }
          case NEWLINE, COMMA, CLOSE_BRACE, END -> {
            return false;
          }
          default -> {
            // part of the value
          }
        }
      }
      return false;
    }

    /** What follows a value up to the end of its entry: concatenated values, lists, objects. */
    private void rest(List<String> path) {
      while (true) {
        Type type = peek().type();
        switch (type) {
          case NEWLINE, COMMA, CLOSE_BRACE, END -> {
            return;
          }
          case OPEN_BRACE -> {
            next();
            body(path, true);
          }
          case OPEN_BRACKET -> {
            next();
            list();
          }
          case STRING, UNQUOTED, SUBSTITUTION -> next();
          default -> throw new Unfollowed();
        }
      }
    }

    /** Skips a list, objects inside it included; its elements have no names. */
    private void list() {
      int depth = 1;
      while (depth > 0) {
        Token token = next();
        switch (token.type()) {
          case OPEN_BRACKET, OPEN_BRACE -> depth++;
          case CLOSE_BRACKET, CLOSE_BRACE -> depth--;
          case END -> throw new Unfollowed();
          default -> {
            // values and separators inside the list
          }
        }
      }
    }

    /** Skips an include directive, which ends with its line or entry. */
    private void endOfEntry() {
      while (true) {
        Type type = peek().type();
        if (type == Type.NEWLINE || type == Type.COMMA || type == Type.CLOSE_BRACE
            || type == Type.END) {
          return;
        }
        next();
      }
    }

    private void define(List<String> path, int line) {
      lines.computeIfAbsent(String.join(".", path), p -> new ArrayList<>()).add(line);
    }
  }
}

package io.migrationexporter.config;

/** One thing wrong in a configuration, located so that a user finds it at once. */
public record ConfigProblem(String file, int line, String key, String message) {
  /**
   * Messages quote the values they refuse; a value pasted by mistake can be a megabyte long. Its
   * beginning is enough to recognise it.
   */
  static final int LONGEST_PART = 500;

  /** Each part is made one line: a multi-line value or key is quoted with its breaks escaped. */
  public ConfigProblem {
    file = oneLine(file);
    key = oneLine(key);
    message = oneLine(message);
  }

  /** {@code file:line: key: message}, the one line a user reads. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append(file == null ? "<config>" : file);
    if (line > 0) {
      out.append(':').append(line);
    }
    out.append(": ");
    if (key != null && !key.isEmpty()) {
      out.append(key).append(": ");
    }
    return out.append(message).toString();
  }

  private static String oneLine(String text) {
    if (text == null) {
      return null;
    }
    int end = text.length();
    if (end > LONGEST_PART) {
      end = Character.isHighSurrogate(text.charAt(LONGEST_PART - 1)) ? LONGEST_PART - 1
          : LONGEST_PART;
    }
    StringBuilder out = new StringBuilder(end + 32);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (end < text.length()) {
      out.append("... (").append(text.length()).append(" characters)");
    }
    return out.toString();
  }
}

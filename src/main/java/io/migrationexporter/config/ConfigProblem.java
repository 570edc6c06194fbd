package io.migrationexporter.config;

/** One thing wrong in a configuration, located so that a user finds it at once. */
public record ConfigProblem(String file, int line, String key, String message) {
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
}

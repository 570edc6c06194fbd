package io.migrationexporter.source.http;

import java.util.List;

/** Status codes given as numbers ({@code 503}) or classes ({@code 2xx}). */
record StatusSet(List<String> entries) {
  StatusSet {
    entries = List.copyOf(entries);
    for (String entry : entries) {
      if (!entry.matches("[1-5]([0-9][0-9]|xx)")) {
        throw new IllegalArgumentException("'" + entry
            + "' is not a status code (100 to 599) nor a class such as 2xx");
      }
    }
  }

  boolean matches(int status) {
    String code = Integer.toString(status);
    for (String entry : entries) {
      if (entry.equals(code) || entry.endsWith("xx") && code.length() == 3
          && code.charAt(0) == entry.charAt(0)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return String.join(",", entries);
  }
}

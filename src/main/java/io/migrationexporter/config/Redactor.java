package io.migrationexporter.config;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last line of defence against leaks: every secret the configuration loads is remembered here,
 * and every log line and served error passes through {@link #redact} before it leaves the process.
 */
public final class Redactor {
  public static final String MASK = "<redacted>";
  /** Shorter values would mask ordinary words; the configuration refuses them as secrets. */
  static final int MIN_SECRET_LENGTH = 6;
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

  private Redactor() {}

  static void remember(String secret) {
    if (secret.length() >= MIN_SECRET_LENGTH) {
      SECRETS.add(secret);
    }
  }

  public static String redact(String text) {
    if (text == null || SECRETS.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : SECRETS) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }
}

package io.migrationexporter.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A credential from the configuration. It prints as {@code <redacted>} wherever it ends up
 * (string concatenation, records, JSON of the plan), and its value is only reachable through
 * {@link #reveal()}, which the code that sends it upstream calls.
 */
public final class Secret {
  private final String value;
  private final String origin;

  Secret(String value, String origin) {
    this.value = Objects.requireNonNull(value);
    this.origin = origin;
    Redactor.remember(value);
  }

  /** For tests and generated configurations (the demo); the value is remembered for redaction. */
  public static Secret of(String value) {
    return new Secret(value, "inline");
  }

  public String reveal() {
    return value;
  }

  /** Where the secret came from ("inline", "file /run/secrets/x", "environment"), never its value. */
  public String origin() {
    return origin;
  }

  /**
   * Compares with {@code candidate} in time independent of where they differ and of their lengths,
   * by comparing digests.
   */
  public boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(sha256(value), sha256(candidate));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret that && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return Redactor.MASK;
  }
}

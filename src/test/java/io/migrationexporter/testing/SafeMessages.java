package io.migrationexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.regex.Pattern;

/** What an error message a user reads must be: one short line of words, no Java, no secret. */
public final class SafeMessages {
  /** Class names, stack frames and library names: an exception's text shown as it is. */
  public static final Pattern JAVA_LEAK = Pattern.compile(
      "java\\.|javax\\.|Exception|Error\\b|\\tat |at (java|io|com|okhttp3)\\.|okhttp|jackson");
  public static final int LONGEST = 300;

  private SafeMessages() {}

  /** Fails unless {@code message} is a safe one, naming {@code what} it was the message of. */
  public static void assertSafe(String what, String message, Collection<String> secrets) {
    assertThat(message).as("%s: the message", what).isNotBlank()
        .doesNotContain("\n", "\r").doesNotContainPattern(JAVA_LEAK);
    assertThat(message.length()).as("%s: the length of '%s'", what, message)
        .isLessThanOrEqualTo(LONGEST);
    for (String secret : secrets) {
      assertThat(message).as("%s: the message", what).doesNotContain(secret);
    }
  }
}

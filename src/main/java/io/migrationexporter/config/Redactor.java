package io.migrationexporter.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Last line of defence against leaks: every secret the configuration loads is remembered here,
 * with its base64 and URL-encoded forms, and every log line and served error passes through
 * {@link #redact} before it leaves the process. Text from upstream goes through {@link #upstream}
 * before it becomes a label value or a message.
 */
public final class Redactor {
  public static final String MASK = "<redacted>";
  /** Shorter values would mask ordinary words; the configuration refuses them as secrets. */
  static final int MIN_SECRET_LENGTH = 6;
  /** Credentials an upstream issued at run time (bearer tokens), the newest kept. */
  static final int ISSUED_KEPT = 64;
  /** A run of base64 long enough to hide a credential, as in {@code Basic <user:password>}. */
  private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/_-]{8,}={0,2}");
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  /** The secrets themselves, for looking into decoded base64. */
  private static final Set<String> PLAIN = ConcurrentHashMap.newKeySet();
  private static final Deque<String> ISSUED = new ArrayDeque<>();

  private Redactor() {}

  static void remember(String secret) {
    if (secret.length() >= MIN_SECRET_LENGTH) {
      PLAIN.add(secret);
      SECRETS.addAll(forms(secret));
    }
  }

  /**
   * Remembers a credential an upstream handed out (a bearer token from a token exchange): masked
   * like a configured secret, and forgotten after {@link #ISSUED_KEPT} newer ones.
   */
  public static void rememberIssued(String credential) {
    if (credential == null || credential.length() < MIN_SECRET_LENGTH) {
      return;
    }
    synchronized (ISSUED) {
      if (PLAIN.add(credential)) {
        SECRETS.addAll(forms(credential));
        ISSUED.addLast(credential);
      }
      while (ISSUED.size() > ISSUED_KEPT) {
        String forgotten = ISSUED.removeFirst();
        PLAIN.remove(forgotten);
        SECRETS.removeAll(forms(forgotten));
      }
    }
  }

  /** The secret as itself, URL-encoded and base64-encoded. */
  private static List<String> forms(String secret) {
    return List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8),
        URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"),
        Base64.getEncoder().withoutPadding().encodeToString(
            secret.getBytes(StandardCharsets.UTF_8)));
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

  /**
   * Text an upstream sent (an API answer, which may echo the request's headers), made fit for a
   * label value or a message: every secret masked, also inside base64 (a {@code Basic} header's
   * {@code user:key}), then cut to {@code limit} characters.
   */
  public static String upstream(String text, int limit) {
    if (text == null) {
      return null;
    }
    String out = redact(text);
    if (!PLAIN.isEmpty()) {
      Matcher run = BASE64_RUN.matcher(out);
      StringBuilder masked = new StringBuilder();
      while (run.find()) {
        run.appendReplacement(masked, hidesSecret(run.group()) ? MASK : "$0");
      }
      out = run.appendTail(masked).toString();
    }
    return out.length() <= limit ? out : out.substring(0, limit - 1) + "…";
  }

  private static boolean hidesSecret(String run) {
    String decoded;
    try {
      byte[] bytes = run.indexOf('-') >= 0 || run.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(run.replace("=", ""))
          : Base64.getDecoder().decode(run.replace("=", ""));
      decoded = new String(bytes, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return PLAIN.stream().anyMatch(decoded::contains);
  }
}

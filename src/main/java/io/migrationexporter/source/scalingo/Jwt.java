package io.migrationexporter.source.scalingo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** Reads the expiry of a JWT without verifying it: we only need to know when to ask for another. */
final class Jwt {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Scalingo's own client exchanges again when less than this remains. */
  static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

  private Jwt() {}

  /** The {@code exp} claim, when the token is a JWT that has one. */
  static Optional<Instant> expiry(String token) {
    String[] parts = token.split("\\.");
    if (parts.length < 2) {
      return Optional.empty();
    }
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      JsonNode exp = claims == null ? null : claims.get("exp");
      return exp != null && exp.canConvertToLong()
          ? Optional.of(Instant.ofEpochSecond(exp.asLong())) : Optional.empty();
    } catch (IllegalArgumentException | java.io.IOException | DateTimeException e) {
      // not Base64, not JSON, or a time beyond what Instant holds: as good as no expiry
      return Optional.empty();
    }
  }

  /**
   * True when {@code token} can be sent back in an Authorization header: printable ASCII only. An
   * answer with anything else is unusable, and HTTP clients refuse such a header outright.
   */
  static boolean sendable(String token) {
    return token != null && !token.isEmpty() && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  /** When to exchange again: 5 minutes before expiry; a token without expiry lasts until a 401. */
  static Instant renewAfter(String token) {
    return expiry(token)
        .map(exp -> exp.isBefore(Instant.EPOCH) ? Instant.MIN : exp.minus(RENEW_BEFORE_EXPIRY))
        .orElse(Instant.MAX);
  }
}

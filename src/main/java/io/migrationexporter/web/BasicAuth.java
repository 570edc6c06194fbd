package io.migrationexporter.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.IllegalBCryptFormatException;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code basic_auth_users}: user names and bcrypt hashes, verified as the exporter-toolkit does.
 *
 * <p>An unknown user is checked against a made-up hash of the same cost, so it takes as long as a
 * wrong password and the answer does not tell which names exist. A successful verification is
 * remembered for {@link #REMEMBER_FOR}, keyed by a SHA-256 of a per-process random value, user,
 * password and stored hash (never the password itself): bcrypt is slow on purpose (about 0.1 s at
 * cost 10), and paying it on every scrape would cap {@code /metrics}. Failures are never
 * remembered. Bcrypt runs on {@link PasswordChecks}' one thread, so a flood of wrong passwords
 * costs one core at most, and {@link #failures} limits how many one address may try.
 */
final class BasicAuth {
  static final Duration REMEMBER_FOR = Duration.ofMinutes(5);
  /** An attacker who knows a password can vary its bytes past the 72 that bcrypt reads. */
  private static final int REMEMBERED_LIMIT = 256;

  /** What one password check found. */
  enum Outcome { ALLOWED, DENIED }

  private final Map<String, BCrypt.HashData> users;
  private final BCrypt.HashData unknownUser;
  private final BCrypt.Verifyer verifyer = BCrypt.verifyer(BCrypt.Version.VERSION_2A,
      LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));
  private final Map<String, Long> remembered = new ConcurrentHashMap<>();
  private final FailureLimit failures = new FailureLimit();
  /** Makes the remembered digests worthless outside this process. */
  private final byte[] pepper = new byte[32];

  private BasicAuth(Map<String, BCrypt.HashData> users) {
    this.users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    int cost = users.values().stream().mapToInt(hash -> hash.cost).max().orElse(10);
    byte[] salt = new byte[16];
    byte[] hash = new byte[23];
    SecureRandom random = new SecureRandom();
    random.nextBytes(pepper);
    random.nextBytes(salt);
    random.nextBytes(hash);
    this.unknownUser = new BCrypt.HashData(cost, BCrypt.Version.VERSION_2A, salt, hash);
  }

  /** Reads {@code basic_auth_users}; an empty mapping means no authentication, as in Go. */
  static Optional<BasicAuth> parse(YamlMap node) {
    Map<String, BCrypt.HashData> users = new LinkedHashMap<>();
    for (String user : node.names()) {
      node.problems().attempt(() -> {
        if (user.isEmpty() || user.contains(":")) {
          throw node.fail(user, "a user name cannot be empty or contain ':'");
        }
        String hash = node.string(user);
        try {
          users.put(user, BCrypt.Version.VERSION_2A.parser.parse(
              hash.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalBCryptFormatException e) {
          throw node.fail(user, "not a bcrypt hash such as $2y$10$...: make one with"
              + " htpasswd -nBC 10 \"\" | tr -d ':\\n'");
        }
      });
    }
    node.finish();
    return users.isEmpty() ? Optional.empty() : Optional.of(new BasicAuth(users));
  }

  Set<String> users() {
    return users.keySet();
  }

  /** Cost of the made-up hash unknown users are checked against. */
  int unknownUserCost() {
    return unknownUser.cost;
  }

  /**
   * The user and password of an {@code Authorization: Basic} header, or empty when the header is
   * absent or malformed.
   */
  static Optional<Credentials> credentials(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    for (int i = 0; i < decoded.length; i++) {
      if (decoded[i] == ':') {
        return Optional.of(new Credentials(new String(decoded, 0, i, StandardCharsets.UTF_8),
            Arrays.copyOfRange(decoded, i + 1, decoded.length)));
      }
    }
    return Optional.empty();
  }

  /** A user name and the password bytes as sent (bcrypt hashes bytes, usually UTF-8). */
  record Credentials(String user, byte[] password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=<redacted>]";
    }
  }

  /** True when these credentials verified recently: no bcrypt needed, safe on I/O threads. */
  boolean remembered(Credentials credentials) {
    BCrypt.HashData hash = users.get(credentials.user());
    if (hash == null) {
      return false;
    }
    Long until = remembered.get(rememberKey(credentials, hash));
    return until != null && until - System.nanoTime() > 0;
  }

  /** The failed checks of each client address. */
  FailureLimit failures() {
    return failures;
  }

  /** Verifies with bcrypt; takes about 0.1 s, so call it on {@link PasswordChecks}' thread. */
  Outcome verify(Credentials credentials) {
    BCrypt.HashData hash = users.get(credentials.user());
    boolean verified = verifyer.verify(credentials.password(),
        hash == null ? unknownUser : hash).verified;
    if (!verified || hash == null) {
      return Outcome.DENIED;
    }
    if (remembered.size() >= REMEMBERED_LIMIT) {
      remembered.clear();
    }
    remembered.put(rememberKey(credentials, hash), System.nanoTime() + REMEMBER_FOR.toNanos());
    return Outcome.ALLOWED;
  }

  private String rememberKey(Credentials credentials, BCrypt.HashData hash) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(pepper);
      digest.update(credentials.user().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(credentials.password());
      digest.update((byte) 0);
      digest.update(hash.rawSalt);
      digest.update(hash.rawHash);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

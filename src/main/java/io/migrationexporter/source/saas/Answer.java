package io.migrationexporter.source.saas;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.SourceException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * One HTTP answer of a SaaS API. The body is read only for 2xx answers: error bodies are never
 * kept, since they may echo the request's credentials.
 */
public final class Answer {
  /** A rate-limit wait longer than this is taken as a bogus header, not obeyed for days. */
  static final Duration LONGEST_WAIT = Duration.ofHours(1);

  private final SaasApi api;
  private final int status;
  private final String contentType;
  private final byte[] body;
  private final Instant receivedAt;
  private final RateLimit rateLimit;

  Answer(SaasApi api, int status, String contentType, byte[] body, Instant receivedAt,
      RateLimit rateLimit) {
    this.api = api;
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.receivedAt = receivedAt;
    this.rateLimit = rateLimit;
  }

  public int status() {
    return status;
  }

  public boolean ok() {
    return status >= 200 && status <= 299;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  /**
   * The body decoded as {@code type}, for a 2xx answer; otherwise the failure its status means.
   * Failures are thrown as {@link CompletionException}s wrapping a {@link SourceException}, so this
   * can be used inside future stages.
   */
  public <T> T json(Class<T> type) {
    if (!ok()) {
      throw failure();
    }
    String media = contentType.toLowerCase(Locale.ROOT);
    if (media.contains("html") || startsWith('<')) {
      throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, api.service()
          + " answered with an HTML page instead of JSON (HTTP " + status + ")");
    }
    // Jackson's messages quote the body, which may hold a token: say only what went wrong.
    JsonNode tree;
    try {
      tree = SaasHttp.JSON.readTree(body);
    } catch (JsonEOFException e) {
      throw badJson("truncated");
    } catch (IOException e) {
      throw badJson("not JSON");
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, api.service() + " answered with an empty body");
    }
    try {
      return SaasHttp.JSON.treeToValue(tree, type);
    } catch (JacksonException e) {
      throw badJson("unexpected shape");
    }
  }

  private CompletionException badJson(String problem) {
    return SaasApi.failure(ErrorKind.BAD_PAYLOAD, api.service()
        + " answered with invalid or unexpected JSON (" + problem + ")");
  }

  private boolean startsWith(char c) {
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        return b == c;
      }
    }
    return false;
  }

  /** What a non-2xx status means, as the failure of a future stage. */
  public CompletionException failure() {
    return new CompletionException(exception());
  }

  /** What a non-2xx status means; the message names the service and status, nothing it sent. */
  public SourceException exception() {
    String service = api.service();
    if (status == 401 || status == 403) {
      return new SourceException(ErrorKind.AUTH, service + " refused the credentials (HTTP "
          + status + ")");
    }
    if (status == 404) {
      return new SourceException(ErrorKind.NOT_FOUND, service + " answered HTTP 404: not found");
    }
    if (status == 429) {
      Duration wait = rateLimit.wait(api.interval());
      return new SourceException(ErrorKind.RATE_LIMITED, service + " rate limit reached (HTTP 429),"
          + " next try in " + Durations.format(wait) + rateLimit.origin(), receivedAt.plus(wait));
    }
    if (status >= 500) {
      return new SourceException(ErrorKind.SERVER, service + " failed (HTTP " + status + ")");
    }
    if (status >= 300 && status < 400) {
      return new SourceException(ErrorKind.BAD_PAYLOAD, service + " answered with a redirect (HTTP "
          + status + "); check the configured URL");
    }
    return new SourceException(ErrorKind.BAD_PAYLOAD, service + " refused the request (HTTP "
        + status + ")");
  }

  /**
   * What a 429 said of when to come back: {@code Retry-After} (seconds or an HTTP date), else
   * Datadog's {@code X-RateLimit-Reset} (seconds until the period resets).
   */
  record RateLimit(Optional<Duration> retryAfter, Optional<Duration> reset) {
    static RateLimit of(String retryAfter, String reset, Instant now) {
      return new RateLimit(parse(retryAfter, now), parse(reset, null));
    }

    /**
     * How long to wait: what the API said, bounded by {@link #LONGEST_WAIT}; when it said nothing,
     * one more interval, so the source polls at half its usual rate until the API answers again.
     */
    Duration wait(Duration interval) {
      Duration said = retryAfter.or(() -> reset).orElse(interval.multipliedBy(2));
      if (said.compareTo(LONGEST_WAIT) > 0) {
        return LONGEST_WAIT;
      }
      return said.isNegative() ? Duration.ZERO : said;
    }

    String origin() {
      if (retryAfter.isPresent()) {
        return " (Retry-After)";
      }
      if (reset.isPresent()) {
        return " (X-RateLimit-Reset)";
      }
      return " (no Retry-After: backing off)";
    }

    /** Seconds, or an HTTP date when {@code now} is given to measure it from. */
    private static Optional<Duration> parse(String value, Instant now) {
      if (value == null || value.isBlank()) {
        return Optional.empty();
      }
      String text = value.trim();
      try {
        return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000)));
      } catch (NumberFormatException e) {
        if (now == null) {
          return Optional.empty();
        }
      }
      try {
        ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Optional.of(Duration.between(now, at.toInstant()));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }
}

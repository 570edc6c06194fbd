package io.migrationexporter.demo.fakes;

/** What a fake can be told to do instead of answering well. */
public enum Fault {
  /** 401, as for a revoked or wrong credential. */
  UNAUTHORIZED,
  /** 403, as for a credential without the needed rights. */
  FORBIDDEN,
  /** 404 for every path. */
  NOT_FOUND,
  /** 429 with a Retry-After of one second (Datadog: X-RateLimit-Reset). */
  RATE_LIMITED,
  /** 429 saying nothing of when to come back. */
  RATE_LIMITED_SILENTLY,
  /** 500. */
  SERVER_ERROR,
  /** Accepts the request and never answers (until the fault is cleared or the fake stops). */
  HANG,
  /** The right answer, but only after {@link FakeServer#slowDelay}. */
  SLOW,
  /** The right answer cut in the middle of its JSON. */
  TRUNCATED_JSON,
  /** A 200 HTML page, as a proxy or a maintenance page would send. */
  HTML,
  /** A 200 JSON answer of 20 MiB. */
  HUGE_BODY
}

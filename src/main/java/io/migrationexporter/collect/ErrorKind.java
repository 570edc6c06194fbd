package io.migrationexporter.collect;

import java.util.Locale;

/** Why a refresh failed, in the classes an operator acts on differently. */
public enum ErrorKind {
  /** Credentials refused (401, 403, password authentication failed). */
  AUTH,
  /** Credentials accepted but lacking a right (Kubernetes RBAC: the verb and resource missing). */
  FORBIDDEN,
  /** The thing asked for does not exist upstream. */
  NOT_FOUND,
  /** The upstream asked us to slow down. */
  RATE_LIMITED,
  /** The upstream failed (5xx, database error). */
  SERVER,
  /** No answer: DNS, connection refused, TLS, reset. */
  TRANSPORT,
  /** The refresh did not finish within its timeout. */
  TIMEOUT,
  /** An answer came that could not be understood (truncated or non-JSON body, unexpected shape). */
  BAD_PAYLOAD,
  /** A bug or an unexpected condition in the exporter itself. */
  INTERNAL;

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

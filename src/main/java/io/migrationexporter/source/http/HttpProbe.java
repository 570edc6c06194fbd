package io.migrationexporter.source.http;

import io.migrationexporter.config.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an HTTP check does, as configured. Being a record, it is also the source's
 * definition: a reload that leaves it equal keeps the check's data.
 *
 * @param headers request headers whose values may be printed
 * @param secretHeaders request headers carrying credentials (Authorization, tokens, keys)
 * @param closedBodyRegex when set, a closed status also needs the body to match
 * @param openBodyRegex when set, an open status also needs the body to match
 * @param bodyLimit at most this many bytes of the body are read
 */
record HttpProbe(String check, String app, URI url, String method, Map<String, String> headers,
    Map<String, Secret> secretHeaders,
    StatusSet closedStatus, StatusSet openStatus, Optional<String> closedBodyRegex,
    Optional<String> openBodyRegex, boolean followRedirects, Duration connectTimeout,
    Duration timeout, boolean tlsVerify, Optional<Path> caFile, long bodyLimit) {

  HttpProbe {
    headers = Map.copyOf(headers);
    secretHeaders = Map.copyOf(secretHeaders);
  }

  /** What distinguishes the HTTP clients probes need; probes with equal keys share one client. */
  record ClientKey(Duration connectTimeout, boolean tlsVerify, Optional<Path> caFile) {}

  ClientKey clientKey() {
    return new ClientKey(connectTimeout, tlsVerify, caFile);
  }

  boolean readsBody() {
    return closedBodyRegex.isPresent() || openBodyRegex.isPresent();
  }
}

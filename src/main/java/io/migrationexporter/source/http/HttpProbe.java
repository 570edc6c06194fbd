package io.migrationexporter.source.http;

import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.config.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an HTTP check does, as configured: its source's settings. A reload that leaves them
 * equal keeps the check's data.
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
    Duration timeout, boolean tlsVerify, Optional<Path> caFile, long bodyLimit)
    implements SourceSettings {

  HttpProbe {
    headers = Map.copyOf(headers);
    secretHeaders = Map.copyOf(secretHeaders);
  }

  /** The probes of every HTTP check share the clients, one per connection setting. */
  @Override
  public Source open(SourceDefinition definition, SharedResources shared) {
    return new HttpProbeSource(this,
        shared.get(HttpProbeClients.class, HttpProbeClients.class, HttpProbeClients::new));
  }

  @Override
  public String describe(SourceDefinition definition) {
    return HttpProbeSource.describe(this);
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

package io.migrationexporter.source.postgres;

import io.migrationexporter.config.Secret;
import java.time.Duration;
import java.util.Optional;

/**
 * How the exporter connects to one database and what every one of its sessions is limited to.
 *
 * @param url a {@code jdbc:postgresql://} URL without credentials
 * @param target host:port/database, for messages (never the URL's parameters)
 * @param tls {@code sslmode} and certificate files, or empty to use the driver's default
 * @param maxConnections the most sessions the exporter ever holds on this database (1 or 2)
 */
record ConnectionSettings(String url, String target, String database, String user,
    Optional<Secret> password, Optional<TlsSettings> tls, Duration connectTimeout,
    Duration statementTimeout, Duration lockTimeout, int maxConnections) {

  /** The application name every exporter session carries; the exporter skips its own sessions. */
  static final String APPLICATION_NAME = "migration-exporter";

  /** {@code tls { mode, root-cert, cert, key }}: the driver's sslmode and certificate files. */
  record TlsSettings(String mode, Optional<String> rootCert, Optional<String> cert,
      Optional<String> key) {}
}

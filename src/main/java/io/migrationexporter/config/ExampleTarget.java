package io.migrationexporter.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What a kind's {@link KindExample} is pointed at: an upstream on {@code host:port} standing in for
 * the API, database or target the kind reads, and sentinel secrets to configure with, which the
 * contract every kind passes then looks for in everything the exporter prints, logs or serves.
 */
public final class ExampleTarget {
  private final String host;
  private final int port;
  private final String salt;
  private final List<String> secrets = new ArrayList<>();

  /** @param salt makes the sentinels of one run unique, and findable in any text */
  public ExampleTarget(String host, int port, String salt) {
    this.host = host;
    this.port = port;
    this.salt = salt;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** {@code http://host:port}, without a trailing slash. */
  public String url() {
    return "http://" + host + ":" + port;
  }

  /** The interval an example's sources poll at: short, so that a test sees many refreshes. */
  public String interval() {
    return "200ms";
  }

  /** The timeout of an example's calls: short, so that a hung upstream costs a test little. */
  public String timeout() {
    return "1s";
  }

  /** A sentinel to configure as the secret {@code role} (an API key, a password), never to be shown. */
  public synchronized String secret(String role) {
    String sentinel = "SENTINEL-" + role + "-" + salt;
    secrets.add(sentinel);
    return sentinel;
  }

  /** Every sentinel handed out so far. */
  public synchronized List<String> secrets() {
    return List.copyOf(secrets);
  }
}

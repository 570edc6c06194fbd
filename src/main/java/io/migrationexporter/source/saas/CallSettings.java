package io.migrationexporter.source.saas;

import io.migrationexporter.collect.Durations;
import io.migrationexporter.config.ConfigNode;
import java.time.Duration;

/**
 * The keys every SaaS account block takes about its calls: {@code timeout} (one call, default
 * 10s) and {@code body-limit} (the largest answer read, default 4MiB).
 */
public record CallSettings(Duration timeout, long bodyLimit) {
  public static final CallSettings DEFAULTS = new CallSettings(Duration.ofSeconds(10), 4L << 20);

  public static CallSettings read(ConfigNode node) {
    Duration timeout = node.duration("timeout", DEFAULTS.timeout());
    long bodyLimit = node.has("body-limit") ? node.bytes("body-limit") : DEFAULTS.bodyLimit();
    return new CallSettings(timeout, bodyLimit);
  }

  /** The API as one source calls it. */
  public SaasApi api(SaasHttp http, String service, Duration interval) {
    return new SaasApi(http, service, timeout, bodyLimit, interval);
  }

  /** A refresh made of {@code callsInSeries} calls one after the other, plus a second of slack. */
  public Duration refreshTimeout(int callsInSeries) {
    return timeout.multipliedBy(callsInSeries).plusSeconds(1);
  }

  @Override
  public String toString() {
    return "timeout " + Durations.format(timeout) + ", body limit " + Sizes.format(bodyLimit);
  }
}

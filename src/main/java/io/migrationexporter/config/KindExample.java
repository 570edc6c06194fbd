package io.migrationexporter.config;

import java.util.Map;

/**
 * One working configuration of a kind, pointed at an {@link ExampleTarget}: what the contract every
 * kind passes (KindContractTest) loads, fuzzes and runs against hostile upstream answers. Each kind
 * writes its own, beside its parsing, so a new kind is covered by that test without editing it.
 *
 * @param hocon {@code sources} and {@code checks} declaring at least one source of the kind (and,
 *     for a check kind, one check of it with the source it reads)
 * @param files files the configuration names (a token file), by path relative to the
 *     configuration file, with their content
 * @param probe the kind probes its target (an HTTP status, an open port): any answer is a reading
 *     of it; otherwise the kind reads an API, and an answer it cannot understand is no reading
 */
public record KindExample(String hocon, Map<String, String> files, boolean probe) {
  public KindExample {
    files = Map.copyOf(files);
  }

  /** An example that reads an API and names no file. */
  public static KindExample api(String hocon) {
    return new KindExample(hocon, Map.of(), false);
  }

  /** An example that probes its target and names no file. */
  public static KindExample probe(String hocon) {
    return new KindExample(hocon, Map.of(), true);
  }
}

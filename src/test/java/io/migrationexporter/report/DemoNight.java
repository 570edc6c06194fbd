package io.migrationexporter.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A night recorded from {@code migration-exporter demo --speed 4}: its journal and the
 * configuration the demo generated, kept in src/test/resources/report.
 */
public final class DemoNight {
  /** The files the configuration reads secrets from; the report needs none of their contents. */
  private static final List<String> SECRET_FILES = List.of("admin-token", "scalingo-token",
      "freshping-api-key", "datadog-api-key", "datadog-application-key", "postgres-pix-password",
      "postgres-datawarehouse-password");

  private DemoNight() {}

  /** Copies the configuration and the journal into {@code dir}; returns the configuration. */
  public static Path copyInto(Path dir) throws IOException {
    for (String secret : SECRET_FILES) {
      Files.writeString(dir.resolve(secret), "not-a-real-secret\n");
    }
    copy("demo-night.journal.jsonl", dir);
    return copy("demo-night.conf", dir);
  }

  /** The journal's copy beside {@link #copyInto}'s configuration. */
  public static Path journalIn(Path dir) {
    return dir.resolve("demo-night.journal.jsonl");
  }

  private static Path copy(String resource, Path dir) throws IOException {
    Path target = dir.resolve(resource);
    try (InputStream in = DemoNight.class.getResourceAsStream("/report/" + resource)) {
      Files.copy(in, target);
    }
    return target;
  }
}

package io.migrationexporter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shipped examples read their credentials from the environment, which a test cannot set in
 * its own process: this writes, beside them in a temporary directory, a file that includes the
 * example and sets placeholder credentials, as the environment would.
 */
public final class ExampleConfigs {
  public static final Path PIX = Path.of("examples/pix-july-2022.conf");
  public static final String SCALINGO_TOKEN = "tk-us-example-token";
  public static final String FRESHPING_KEY = "example-freshping-key";
  public static final String DATADOG_API_KEY = "example-dd-api-key";
  public static final String DATADOG_APP_KEY = "example-dd-app-key";

  private ExampleConfigs() {}

  /** The Pix board of July 2022 with placeholder credentials, in {@code dir}. */
  public static Path pixWithCredentials(Path dir) throws IOException {
    Path file = dir.resolve("pix-with-credentials.conf");
    Files.writeString(file, """
        include file("%s")
        sources.scalingo.pix.token = "%s"
        sources.freshping.pix.api-key = "%s"
        sources.datadog.pix { api-key = "%s", application-key = "%s" }
        """.formatted(PIX.toAbsolutePath().toString().replace("\\", "\\\\"), SCALINGO_TOKEN,
        FRESHPING_KEY, DATADOG_API_KEY, DATADOG_APP_KEY), StandardCharsets.UTF_8);
    return file;
  }
}

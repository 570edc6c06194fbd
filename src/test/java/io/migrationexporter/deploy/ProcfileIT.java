package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.ExporterProcess;
import io.migrationexporter.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Procfile as a PaaS runs it (through bash, with $PORT set), against the packaged jar: the
 * exporter listens on the platform's port, which the Procfile hands to the PaaS example
 * configuration.
 */
class ProcfileIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void thePaasExampleListensWhereTheProcfileSays() throws Exception {
    Tools.Result result = Tools.run(Project.root(), TIMEOUT, List.of("java", "-jar",
        "target/migration-exporter.jar", "check-config", "examples/paas.conf"),
        Map.of("MIGRATION_EXPORTER_LISTEN", "0.0.0.0:5000"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("listen 0.0.0.0:5000");
  }

  @Test
  void theWebProcessServesOnPort(@TempDir Path dir) throws Exception {
    String web = Files.readAllLines(Project.file("Procfile")).stream()
        .filter(line -> line.startsWith("web:")).findFirst().orElseThrow()
        .substring("web:".length()).trim();
    // the PaaS example, watching nothing outside this machine
    Path config = dir.resolve("paas-test.conf");
    Files.writeString(config, """
        include file("%s")
        phases.state-file = "%s"
        checks.website-front.http.url = "http://127.0.0.1:9/"
        """.formatted(Project.file("examples/paas.conf"), dir.resolve("state.json")));
    int port = Ports.closed();
    // bash runs a lone command in its own process, as a PaaS does: stopping it stops java
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", web)
        .directory(Project.root().toFile());
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("MIGRATION_EXPORTER_HOST", "127.0.0.1");
    builder.environment().put("MIGRATION_EXPORTER_CONFIG", config.toString());
    try (ExporterProcess exporter = ExporterProcess.start(builder, dir.resolve("web.log"))) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest healthy = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/-/healthy")).timeout(Duration.ofSeconds(2))
          .build();
      exporter.await("the web process healthy on $PORT " + port,
          () -> http.send(healthy, HttpResponse.BodyHandlers.ofString()).statusCode() == 200,
          TIMEOUT);
      assertThat(exporter.process().info().command().orElse("")).as("bash handed over to java")
          .endsWith("java");
    }
  }
}

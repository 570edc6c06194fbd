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
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production jar, target/migration-exporter-server.jar (the one the Dockerfile and the
 * Procfile run), against the full one: it holds neither the demo nor its embedded PostgreSQL, has
 * no demo command, and runs an exporter from a configuration.
 */
class ServerJarIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SERVER_JAR = "target/migration-exporter-server.jar";
  private static final String FULL_JAR = "target/migration-exporter.jar";

  @Test
  void holdsNoDemoNorItsPostgresql() throws Exception {
    try (JarFile jar = new JarFile(Project.file(SERVER_JAR).toFile())) {
      List<String> demo = jar.stream().map(entry -> entry.getName())
          .filter(name -> name.startsWith("io/migrationexporter/demo/")
              || name.startsWith("io/zonky/") || name.endsWith(".txz")
              || name.startsWith("org/slf4j/") || name.startsWith("org/tukaani/")
              || name.equals("META-INF/services/io.migrationexporter.cli.CommandExtension"))
          .toList();
      assertThat(demo).isEmpty();
      // the exporter itself is all there: its sources and the PostgreSQL driver
      assertThat(jar.getEntry("io/migrationexporter/source/postgres/PostgresSource.class"))
          .isNotNull();
      assertThat(jar.getEntry("org/postgresql/Driver.class")).isNotNull();
    }
    try (JarFile full = new JarFile(Project.file(FULL_JAR).toFile())) {
      assertThat(full.getEntry("io/migrationexporter/demo/DemoCommand.class")).isNotNull();
    }
    assertThat(Files.size(Project.file(SERVER_JAR)))
        .isLessThan(Files.size(Project.file(FULL_JAR)) / 2);
  }

  @Test
  void hasNoDemoCommand() throws Exception {
    Tools.Result help = Tools.run(Project.root(), TIMEOUT,
        List.of("java", "-jar", SERVER_JAR, "--help"));
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.output()).contains("check-config", "phase").doesNotContain("demo");

    Tools.Result demo = Tools.run(Project.root(), TIMEOUT, List.of("java", "-jar", SERVER_JAR,
        "demo"));
    assertThat(demo.exitCode()).as(demo.output()).isEqualTo(2);
    assertThat(demo.output()).contains("Unmatched argument", "'demo'");

    Tools.Result full = Tools.run(Project.root(), TIMEOUT, List.of("java", "-jar", FULL_JAR,
        "--help"));
    assertThat(full.output()).contains("demo");
  }

  @Test
  void runsAnExporterFromItsConfiguration(@TempDir Path dir) throws Exception {
    int port = Ports.closed();
    Path config = dir.resolve("server.conf");
    Files.writeString(config, """
        server.listen = "127.0.0.1:%d"
        checks.website { http { url = "http://127.0.0.1:9/" } }
        """.formatted(port));
    try (ExporterProcess exporter = ExporterProcess.start(new ProcessBuilder("java", "-jar",
        Project.file(SERVER_JAR).toString(), "--config", config.toString()),
        dir.resolve("server.log"))) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest metrics = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5))
          .build();
      exporter.await("the server jar serving /metrics on " + port, () -> {
        HttpResponse<String> answer = http.send(metrics, HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() == 200 && answer.body().contains("check=\"website\"");
      }, TIMEOUT);
    }
  }
}

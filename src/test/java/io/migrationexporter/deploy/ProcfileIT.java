package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Procfile as a PaaS runs it (through bash, with $PORT set), against the packaged jar: the
 * exporter listens on the platform's port, and the PaaS example configuration takes its port
 * from $PORT.
 */
class ProcfileIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void thePaasExampleListensOnThePlatformsPort() throws Exception {
    Tools.Result valid = bash("java -jar target/migration-exporter.jar check-config"
        + " examples/paas.conf", Map.of("PORT", "5000"));
    assertThat(valid.exitCode()).as(valid.output()).isZero();
    assertThat(valid.output()).contains("listen 0.0.0.0:5000");

    Tools.Result withoutPort = bash("java -jar target/migration-exporter.jar check-config"
        + " examples/paas.conf", Map.of("PORT", ""));
    assertThat(withoutPort.exitCode()).isEqualTo(2);
    assertThat(withoutPort.output()).contains("paas.conf:").contains("server.listen")
        .doesNotContain("Exception");
  }

  @Test
  void theWebProcessServesOnPort(@TempDir Path dir) throws Exception {
    String web = Files.readAllLines(Project.file("Procfile")).stream()
        .filter(line -> line.startsWith("web:")).findFirst().orElseThrow()
        .substring("web:".length()).trim();
    // the PaaS example, kept on loopback and watching nothing outside this machine
    Path config = dir.resolve("paas-test.conf");
    Files.writeString(config, """
        include file("%s")
        server.listen = "127.0.0.1:"${?PORT}
        phases.state-file = "%s"
        checks.website-front.http.url = "http://127.0.0.1:9/"
        """.formatted(Project.file("examples/paas.conf"), dir.resolve("state.json")));
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path log = dir.resolve("web.log");
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", "exec " + web)
        .directory(Project.root().toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("MIGRATION_EXPORTER_CONFIG", config.toString());
    Process process = builder.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest healthy = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/-/healthy")).timeout(Duration.ofSeconds(2))
          .build();
      Await.until("the web process healthy on $PORT " + port, TIMEOUT, Duration.ofMillis(200),
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError("exited: " + Files.readString(log));
            }
            return http.send(healthy, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
          });
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private static Tools.Result bash(String command, Map<String, String> environment)
      throws Exception {
    return Tools.run(Project.root(), TIMEOUT, List.of("bash", "-c", command), environment);
  }
}

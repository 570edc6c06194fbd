package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The secret files of docker-compose.yml are compose secrets, not bind-mounted volumes: a volume
 * whose file is missing is silently created as an empty directory, while a missing secret file
 * stops the service from starting. Each secret lands where its program reads it.
 */
class ComposeSecretsTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
  /** The files the header of docker-compose.yml tells the operator to write. */
  private static final Pattern WRITTEN_SECRET = Pattern.compile("> (secrets/[a-z-]+)");

  @Test
  void everySecretFileIsAComposeSecretMountedWhereItsProgramReadsIt() throws Exception {
    Path file = Project.file("docker-compose.yml");
    JsonNode compose = Yaml.read(file);
    TreeSet<String> written = new TreeSet<>();
    Matcher matcher = WRITTEN_SECRET.matcher(Files.readString(file));
    while (matcher.find()) {
      written.add("./" + matcher.group(1));
    }
    assertThat(written).as("the files the header says to write").hasSize(3);
    TreeSet<String> declared = new TreeSet<>();
    compose.path("secrets").forEach(secret -> declared.add(secret.path("file").asText()));
    assertThat(declared).as("top-level secrets").isEqualTo(written);

    compose.path("services").fields().forEachRemaining(service -> {
      for (JsonNode volume : service.getValue().path("volumes")) {
        assertThat(volume.asText()).as(service.getKey() + " mounts no secret as a volume")
            .doesNotContain("secrets/");
      }
    });
    String alertmanager = Files.readString(Project.file("prometheus/alertmanager.yml"));
    Map<String, String> readAt = Map.of(
        "migration-admin-token", env(compose, "migration-exporter",
            "MIGRATION_EXPORTER_ADMIN_TOKEN_FILE"),
        "chat-webhook-url", field(alertmanager, "slack_api_url_file"),
        "grafana-admin-password", env(compose, "grafana", "GF_SECURITY_ADMIN_PASSWORD__FILE"));
    readAt.forEach((secret, path) -> assertThat(targets(compose, secret))
        .as("where " + secret + " is mounted").containsExactly(path));
  }

  /** That compose accepts the file, with and without the demo profile, MonitoringConfigTest runs. */
  @Test
  void composeResolvesEverySecretToItsFile() throws Exception {
    Path compose = Tools.require("docker-compose", "docker-compose");
    Tools.Result resolved = Tools.run(Project.root(), TOOL_TIMEOUT,
        List.of(compose.toString(), "-f", "docker-compose.yml", "config"));
    assertThat(resolved.exitCode()).as(resolved.output()).isZero();
    JsonNode secrets = Yaml.MAPPER.readTree(resolved.output()).path("secrets");
    for (String name : List.of("migration-admin-token", "chat-webhook-url",
        "grafana-admin-password")) {
      assertThat(secrets.path(name).path("file").asText()).as(name)
          .isEqualTo(Project.root().resolve("secrets").resolve(name).toString());
    }
  }

  private static List<String> targets(JsonNode compose, String secret) {
    List<String> targets = new ArrayList<>();
    compose.path("services").forEach(service -> service.path("secrets").forEach(use -> {
      if (use.path("source").asText().equals(secret)) {
        targets.add(use.path("target").asText());
      }
    }));
    return targets;
  }

  private static String env(JsonNode compose, String service, String name) {
    return compose.path("services").path(service).path("environment").path(name).asText();
  }

  private static String field(String yaml, String name) {
    Matcher value = Pattern.compile(name + ":\\s*(\\S+)").matcher(yaml);
    assertThat(value.find()).as(name).isTrue();
    return value.group(1);
  }
}

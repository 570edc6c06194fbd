package io.migrationexporter.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationexporter.phase.PhaseStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last sign of life and step of each migration, next to the phase state file
 * ({@code <state-file>.liveness.json}) and written atomically as it is: a migration silent since
 * before a restart of the exporter is still silent after it, with its real age.
 */
public final class LivenessStore {
  private static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What is kept of one migration.
   *
   * @param step the name of the step it was in
   * @param stepStartedAt when that step started, if known
   */
  public record Saved(Instant heartbeatAt, String step, Optional<Instant> stepStartedAt) {}

  private final Path file;

  public LivenessStore(Path file) {
    this.file = file.toAbsolutePath();
  }

  /** The store kept next to the phase state file {@code stateFile}. */
  public static LivenessStore nextTo(Path stateFile) {
    return new LivenessStore(stateFile.resolveSibling(stateFile.getFileName() + ".liveness.json"));
  }

  public Path file() {
    return file;
  }

  /** What was saved, by migration name; empty when nothing was. */
  public Map<String, Saved> load() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Map.of();
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || root.path("format").asInt(-1) != FORMAT) {
        throw new IOException("not a liveness file of format " + FORMAT);
      }
      Map<String, Saved> saved = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> migrations = root.path("migrations").fields();
      while (migrations.hasNext()) {
        Map.Entry<String, JsonNode> entry = migrations.next();
        JsonNode node = entry.getValue();
        String startedAt = node.path("step-started-at").asText("");
        saved.put(entry.getKey(), new Saved(Instant.parse(node.path("heartbeat-at").asText()),
            node.path("step").asText(""),
            startedAt.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(startedAt))));
      }
      return saved;
    } catch (DateTimeParseException e) {
      throw new IOException("unreadable time: " + e.getParsedString(), e);
    }
  }

  public void save(Map<String, Saved> migrations) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    ObjectNode all = root.putObject("migrations");
    migrations.forEach((name, saved) -> {
      ObjectNode node = all.putObject(name);
      node.put("heartbeat-at", saved.heartbeatAt().toString());
      node.put("step", saved.step());
      saved.stepStartedAt().ifPresent(at -> node.put("step-started-at", at.toString()));
    });
    PhaseStore.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }
}

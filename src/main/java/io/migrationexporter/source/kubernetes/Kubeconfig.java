package io.migrationexporter.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The parts of a kubeconfig file the source reads: a context's cluster (server, CA), user (a
 * token, inline or in a file, or a client certificate) and namespace. Users authenticating with
 * exec plugins or auth providers are refused by the source kind, with what to use instead.
 */
final class Kubeconfig {
  /** A kubeconfig of many clusters stays far under this. */
  static final long LARGEST = 1 << 20;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Kubeconfig() {}

  /** The file as a tree; the message of the IOException says what is wrong, never the content. */
  static JsonNode read(Path file) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) > LARGEST) {
      throw new IOException("not a regular file of at most 1 MiB");
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      // Jackson's messages quote the text, which holds tokens.
      throw new IOException("not a YAML kubeconfig");
    }
    if (root == null || !root.isObject()) {
      throw new IOException("not a YAML kubeconfig");
    }
    return root;
  }

  /** The entry {@code name} of the list {@code section} ("users"), its inner object. */
  static Optional<JsonNode> named(JsonNode root, String section, String name) {
    String inner = section.substring(0, section.length() - 1);
    for (JsonNode entry : root.path(section)) {
      if (name.equals(entry.path("name").asText(null)) && entry.path(inner).isObject()) {
        return Optional.of(entry.path(inner));
      }
    }
    return Optional.empty();
  }
}

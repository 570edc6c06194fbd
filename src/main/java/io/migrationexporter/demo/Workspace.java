package io.migrationexporter.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's temporary directory: the generated configuration, the credentials it names, the phase
 * state, the PostgreSQL binaries and data. Removed whole when the demo stops.
 */
final class Workspace implements AutoCloseable {
  private final Path root;

  Workspace() throws IOException {
    root = Files.createTempDirectory("migration-exporter-demo-");
  }

  Path root() {
    return root;
  }

  Path path(String name) {
    return root.resolve(name);
  }

  /** A file only its owner reads, as a credential file should be; returns its path. */
  Path secret(String name, String value) {
    Path file = path(name);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path write(String name, String content) {
    try {
      return Files.writeString(path(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the directory and everything in it. */
  @Override
  public void close() throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  @Override
  public String toString() {
    return "the temporary directory " + root;
  }
}

package io.migrationexporter.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

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

  /**
   * Removes the directory and everything in it, even while something else (a server stopping)
   * removes files of its own.
   */
  @Override
  public void close() throws IOException {
    for (int attempt = 1; Files.exists(root); attempt++) {
      try {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
      } catch (NoSuchFileException | DirectoryNotEmptyException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "the temporary directory " + root;
  }
}

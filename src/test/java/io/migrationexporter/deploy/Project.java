package io.migrationexporter.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository's deploy files, wherever the tests run from. */
final class Project {
  private Project() {}

  /** The repository root: the nearest directory up from the working directory with a pom.xml. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }
}

package io.migrationexporter.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.migrationexporter.app.Modules;
import io.migrationexporter.testing.ExampleConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configurations shipped in examples/ are valid: a newcomer starts from them. The Pix board
 * needs the credentials of its SaaS accounts, which a user gives through the environment.
 */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("examples");

  private static void loads(Path file) {
    assertThatCode(() -> Modules.loader().load(file))
        .as("%s is valid", file).doesNotThrowAnyException();
  }

  @Test
  void pixBoardOfJuly2022LoadsWithItsCredentials(@TempDir Path dir) throws IOException {
    loads(ExampleConfigs.pixWithCredentials(dir));
  }

  @Test
  void pixBoardOfJuly2022WithoutCredentialsSaysWhichAreMissing() {
    assertThatThrownBy(() -> Modules.loader().load(ExampleConfigs.PIX))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.scalingo.pix")
        .hasMessageContaining("sources.freshping.pix");
  }

  @TestFactory
  Stream<DynamicTest> everyExampleLoads() throws IOException {
    assumeTrue(Files.isDirectory(EXAMPLES), "there is no examples/ directory yet");
    List<Path> files;
    try (Stream<Path> listing = Files.list(EXAMPLES)) {
      files = listing.map(Path::toString)
          .filter(name -> name.endsWith(".conf"))
          .filter(name -> !Path.of(name).equals(ExampleConfigs.PIX))
          .sorted().map(Path::of).toList();
    }
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> loads(file)));
  }
}

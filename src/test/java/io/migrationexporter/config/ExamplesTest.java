package io.migrationexporter.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.migrationexporter.app.Modules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The configurations shipped in examples/ are valid: a newcomer starts from them. Snippets
 * ({@code *-snippet.conf}) are fragments to merge into a configuration; the tests that include
 * them check them.
 */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("examples");

  private static void loads(Path file) {
    assertThatCode(() -> Modules.loader().load(file).closeSources())
        .as("%s is valid", file).doesNotThrowAnyException();
  }

  @Test
  void pixBoardOfJuly2022Loads() {
    Path pix = EXAMPLES.resolve("pix-july-2022.conf");
    assumeTrue(Files.isRegularFile(pix), pix + " is not written yet");
    loads(pix);
  }

  @TestFactory
  Stream<DynamicTest> everyExampleLoads() throws IOException {
    assumeTrue(Files.isDirectory(EXAMPLES), "there is no examples/ directory yet");
    List<Path> files;
    try (Stream<Path> listing = Files.list(EXAMPLES)) {
      files = listing.map(Path::toString)
          .filter(name -> name.endsWith(".conf") && !name.endsWith("-snippet.conf"))
          .sorted().map(Path::of).toList();
    }
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> loads(file)));
  }
}

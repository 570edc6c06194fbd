package io.migrationexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * A configuration either loads or is refused with clear problems: only a {@link ConfigException},
 * each problem one line naming its file, with no Java class, stack trace or secret in it.
 */
final class ClearRefusals {
  static final Pattern JAVA_LEAK = Pattern.compile(
      "java\\.|javax\\.|Exception|\\bat io\\.|\\tat |com\\.typesafe|io\\.migrationexporter");

  private ClearRefusals() {}

  static void assertLoadsOrRefusesClearly(ConfigLoader loader, Path main,
      Collection<String> secrets) {
    try {
      loader.load(main);
    } catch (ConfigException refused) {
      assertThat(refused.problems()).as("problems of a refused configuration").isNotEmpty();
      for (ConfigProblem problem : refused.problems()) {
        String line = problem.toString();
        assertThat(problem.file()).as("the file of %s", line).isNotBlank();
        assertThat(problem.message()).as("the message of %s", line).isNotBlank();
        assertThat(line).as("a problem is one line").doesNotContain("\n", "\r");
        assertThat(line).as("a problem shows no Java").doesNotContainPattern(JAVA_LEAK);
        for (String secret : secrets) {
          assertThat(line).as("a problem shows no secret").doesNotContain(secret);
        }
      }
    } catch (Throwable escaped) {
      throw new AssertionError("the loader threw " + escaped + " instead of a ConfigException",
          escaped);
    }
  }
}

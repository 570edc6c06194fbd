package io.migrationexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Named pipes, which a reader opening them waits on until a writer comes: for hang tests. */
public final class Fifos {
  private Fifos() {}

  /** A new FIFO {@code dir/name}; aborts the test where mkfifo is missing. */
  public static Path create(Path dir, String name) throws Exception {
    Path fifo = dir.resolve(name);
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (IOException e) {
      Assumptions.abort("no mkfifo on this machine");
      throw e;
    }
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Assumptions.assumeTrue(mkfifo.exitValue() == 0, "mkfifo failed");
    return fifo;
  }
}

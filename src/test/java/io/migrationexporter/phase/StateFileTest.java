package io.migrationexporter.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.migrationexporter.testing.Cli;
import io.migrationexporter.testing.Fifos;
import io.migrationexporter.testing.TestExporter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is found at the phase state file's place is checked at start, with one line and exit
 * status 2, before anything is served: a pipe does not make the start wait for a writer, a device
 * or a huge file does not fill the memory, a directory that takes no file is not found out at the
 * first phase change of the night, and temporary files left by crashes are removed.
 */
class StateFileTest {
  /** Only a safety net: a FIFO used to make the start wait forever. */
  private static final Duration HANG = Duration.ofSeconds(30);
  private static final String STATE_FILE = "migration-exporter.state.json";

  @TempDir
  Path dir;

  private Cli.Result start(String stateFile) throws IOException {
    Path config = TestExporter.writeConfig(dir, """
        checks.front.tcp.address = "127.0.0.1:1"
        phases.state-file = "%s"
        """.formatted(stateFile));
    // A start that passes the checks runs until stopped: a timeout here is a failure too.
    return assertTimeoutPreemptively(HANG, () -> Cli.run("--config", config.toString()),
        "the start hung");
  }

  private static String oneLine(Cli.Result result) {
    assertThat(result.exit()).as(result.all()).isEqualTo(2);
    assertThat(result.err().lines()).as(result.err()).hasSize(1);
    assertThat(result.all()).doesNotContain("Exception:").doesNotContain("\tat ");
    return result.err().strip();
  }

  private Path fifo(String name) throws Exception {
    return Fifos.create(dir, name);
  }

  @Test
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = fifo(STATE_FILE);
    assertThat(oneLine(start(fifo.toString()))).isEqualTo("migration-exporter: cannot read the"
        + " phase state file: " + fifo + " is not a regular file (a pipe or a device); it was"
        + " left as it is: move it away to start again from the initial phase");
  }

  @Test
  void aDeviceThatNeverEndsIsRefused() throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")));
    assertThat(oneLine(start("/dev/zero"))).contains("/dev/zero is not a regular file");
  }

  @Test
  void aHugeFileIsRefusedWithoutReadingIt() throws Exception {
    Path huge = dir.resolve(STATE_FILE);
    try (RandomAccessFile out = new RandomAccessFile(huge.toFile(), "rw")) {
      out.setLength(100L << 20); // sparse: 100 MiB that take no room
    }
    assertThat(oneLine(start(huge.toString()))).contains(huge + " is larger than 1024 KiB");
  }

  @Test
  void aFifoAsTheLivenessFileNextToItDoesNotHoldTheStart() throws Exception {
    fifo(STATE_FILE + ".liveness.json");
    // the liveness file is a help: unreadable, it is logged and replaced at the first save
    try (TestExporter exporter = assertTimeoutPreemptively(HANG, () -> TestExporter.start(dir, """
        checks.front.tcp.address = "127.0.0.1:1"
        phases.state-file = "%s"
        """.formatted(dir.resolve(STATE_FILE))), "the start hung")) {
      assertThat(exporter.get("/-/healthy").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aDirectoryThatTakesNoFileStopsTheStart() throws Exception {
    Path readOnly = Files.createDirectory(dir.resolve("state"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      if (takesFiles(readOnly)) {
        // root ignores permissions; sysfs refuses new files to root too
        readOnly = Path.of("/sys");
        Assumptions.assumeFalse(takesFiles(readOnly), "no directory refuses files here");
      }
      Path state = readOnly.resolve(STATE_FILE);
      assertThat(oneLine(start(state.toString()))).startsWith("migration-exporter: the directory "
          + readOnly + " of the phase state file is not writable (").endsWith("): every phase"
          + " change would fail; give the exporter write access to it or set phases.state-file"
          + " elsewhere");
    } finally {
      Files.setPosixFilePermissions(dir.resolve("state"),
          PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static boolean takesFiles(Path directory) {
    try {
      Files.delete(Files.createTempFile(directory, "probe", ".tmp"));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void temporaryFilesLeftByCrashesAreRemovedAtStart() throws Exception {
    Path state = dir.resolve(STATE_FILE);
    for (int i = 0; i < 45; i++) {
      Files.writeString(dir.resolve(STATE_FILE + (1000L + i) + ".tmp"), "{\"format\": 1, \"pha");
    }
    Files.writeString(dir.resolve(STATE_FILE + ".liveness.json4242.tmp"), "{");
    Path unrelated = Files.writeString(dir.resolve("other.json1.tmp"), "kept");

    try (TestExporter exporter = TestExporter.start(dir, """
        checks.front.tcp.address = "127.0.0.1:1"
        phases.state-file = "%s"
        """.formatted(state))) {
      assertThat(exporter.get("/-/healthy").statusCode()).isEqualTo(200);
    }

    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(path -> path.getFileName().toString()))
          .noneMatch(name -> name.startsWith(STATE_FILE) && name.endsWith(".tmp"));
    }
    assertThat(unrelated).hasContent("kept");
    assertThat(state).exists();
  }
}

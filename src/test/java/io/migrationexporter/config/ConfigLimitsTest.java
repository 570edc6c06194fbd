package io.migrationexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.migrationexporter.testing.Cli;
import io.migrationexporter.testing.Fifos;
import io.migrationexporter.testing.TestExporter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a configuration never hangs or fills the memory: what a key names (a secret file, an
 * include) must be a regular file of bounded size, nothing is fetched over the network, and sizes,
 * durations and counts have upper bounds. Each refusal is exit status 2 and one line.
 */
class ConfigLimitsTest {
  /** Only a safety net: every refusal here is decided before anything is read. */
  private static final Duration HANG = Duration.ofSeconds(20);
  private static final String NOT_REGULAR = " is not a regular file (a pipe or a device)";

  @TempDir
  Path dir;

  /** Runs check-config on {@code hocon} and returns the one problem line it printed. */
  private String refusedWithOneLine(String hocon) throws IOException {
    Path file = TestExporter.writeConfig(dir, hocon);
    Cli.Result result = assertTimeoutPreemptively(HANG,
        () -> Cli.run("check-config", file.toString()), "check-config hung");
    assertThat(result.exit()).as(result.all()).isEqualTo(2);
    assertThat(result.err().lines()).as(result.err()).hasSize(2)
        .last().asString().endsWith("is invalid (1 problem)");
    assertThat(result.all()).doesNotContain("Exception").doesNotContain("\tat ");
    return result.err().lines().findFirst().orElseThrow();
  }

  private String conf() {
    return dir.resolve(TestExporter.CONFIG_NAME).toAbsolutePath().toString();
  }

  /** The refusal of {@code key = name} on line 1, without the file, line and key it names. */
  private String refusalOf(String key, String name) throws IOException {
    String prefix = conf() + ":1: " + key + ": ";
    return assertThat(refusedWithOneLine(key + " = " + name + "\n")).startsWith(prefix)
        .actual().substring(prefix.length());
  }

  private String tokenFileRefusal() throws IOException {
    return refusalOf("server.admin-token-file", "token");
  }

  private Path fifo(String name) throws Exception {
    return Fifos.create(dir, name);
  }

  /** A sparse file: {@code size} bytes without writing them. */
  private Path sized(String name, long size) throws IOException {
    Path file = dir.resolve(name);
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.setLength(size);
    }
    return file;
  }

  @Test
  void secretFileOnADeviceIsRefused() throws IOException {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")));
    assertThat(refusedWithOneLine("""
        checks.front.http.url = "http://127.0.0.1:1/"
        server.admin-token-file = "/dev/zero"
        """)).isEqualTo(conf() + ":2: server.admin-token-file: /dev/zero" + NOT_REGULAR);
  }

  @Test
  void secretFileOnAFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = fifo("token");
    assertThat(tokenFileRefusal()).isEqualTo(fifo + NOT_REGULAR);
  }

  @Test
  void secretFileThatIsADirectoryIsRefused() throws IOException {
    Path token = Files.createDirectory(dir.resolve("token"));
    assertThat(tokenFileRefusal()).isEqualTo(token + " is a directory, not a file");
  }

  @Test
  void hugeSecretFileIsRefused() throws IOException {
    Path token = sized("token", 1L << 30);
    assertThat(tokenFileRefusal()).isEqualTo(token + " is larger than 64 KiB");
  }

  @Test
  void secretFileOfExactlyTheCapIsRead() throws Exception {
    Files.writeString(dir.resolve("token"), "t".repeat(ConfigFiles.LARGEST_SECRET));
    Path file = TestExporter.writeConfig(dir, """
        server.admin-token-file = token
        checks.front.http.url = "http://127.0.0.1:1/"
        """);
    Plan plan = io.migrationexporter.app.Modules.loader().load(file);
    assertThat(plan.server().adminToken().orElseThrow().reveal())
        .hasSize(ConfigFiles.LARGEST_SECRET);
  }

  @Test
  void readingStopsOneByteAfterTheCapWhateverTheFileIs() {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")));
    // /dev/zero never ends: returning at all proves the read is bounded.
    ConfigFiles.Refused refused = catchThrowableOfType(ConfigFiles.Refused.class,
        () -> ConfigFiles.readText(Path.of("/dev/zero"), 1024));
    assertThat(refused).hasMessage("/dev/zero is larger than 1 KiB");
  }

  @Test
  void secretFileThatIsNotUtf8IsRefusedWithoutQuotingIt() throws IOException {
    Files.write(dir.resolve("token"), new byte[] {'s', 'e', 'c', 'r', 'e', 't', (byte) 0xff});
    assertThat(tokenFileRefusal()).isEqualTo(dir.resolve("token") + " is not UTF-8 text");
  }

  @Test
  void otherFilesAKeyNamesMustBeRegularFilesToo() throws Exception {
    Path fifo = fifo("web.yml");
    assertThat(refusalOf("server.web-config-file", "web.yml")).isEqualTo(fifo + NOT_REGULAR);
  }

  @Test
  void includeOfAUrlFetchesNothing() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + server.getLocalPort() + "/exporter.conf";
      assertThat(refusedWithOneLine("log.level = info\ninclude url(\"" + url + "\")\n"))
          .isEqualTo(conf() + ":2: include \"" + url + "\": url() includes are not supported;"
              + " only files are included (nothing is fetched while loading)");
      assertThat(refusedWithOneLine("include required(\"" + url + "\")\n"))
          .isEqualTo(conf() + ":1: include \"" + url + "\": names a URL; only files are included"
              + " (nothing is fetched while loading)");
      assertNoConnection(server);
    }
  }

  /** A client's connection completes in the backlog even unaccepted, so accept() would see it. */
  private static void assertNoConnection(ServerSocket server) throws IOException {
    server.setSoTimeout(1);
    try (Socket client = server.accept()) {
      throw new AssertionError("loading the configuration connected to " + client);
    } catch (SocketTimeoutException expected) {
      // nothing connected
    }
  }

  @Test
  void includeOfAUrlDoesNotShowItsPassword() throws IOException {
    String line = refusedWithOneLine("include url(\"http://user:hunter2-pass@127.0.0.1:1/a\")\n");
    assertThat(line).contains("//<redacted>@127.0.0.1:1/a").doesNotContain("hunter2-pass");
  }

  @Test
  void includeOfAFifoIsRefused() throws Exception {
    Path fifo = fifo("more.conf");
    assertThat(refusedWithOneLine("include file(\"" + fifo + "\")\n"))
        .isEqualTo(conf() + ":1: include \"" + fifo + "\": " + fifo + NOT_REGULAR);
    assertThat(refusedWithOneLine("\ninclude \"more.conf\"\n"))
        .isEqualTo(conf() + ":2: include \"more.conf\": " + fifo + NOT_REGULAR);
  }

  @Test
  void includeWithoutExtensionChecksEveryFileTheLibraryWouldRead() throws Exception {
    Path fifo = fifo("more.json");
    assertThat(refusedWithOneLine("include \"more\"\n"))
        .isEqualTo(conf() + ":1: include \"more\": " + fifo + NOT_REGULAR);
  }

  @Test
  void includeOfAHugeFileIsRefused() throws IOException {
    Path big = sized("big.conf", 5L << 20);
    assertThat(refusedWithOneLine("include \"big.conf\"\n"))
        .isEqualTo(conf() + ":1: include \"big.conf\": " + big + " is larger than 4 MiB");
  }

  @Test
  void anIncludedFileIsCheckedAlikeAndItsIncludeNamed() throws Exception {
    Path fifo = fifo("secret.conf");
    Files.writeString(dir.resolve("more.conf"), "include \"secret.conf\"\n");
    assertThat(refusedWithOneLine("include \"more.conf\"\n"))
        .isEqualTo(conf() + ": include \"secret.conf\": " + fifo + NOT_REGULAR);
  }

  @Test
  void includesOfRegularFilesStillWork() throws Exception {
    Files.writeString(dir.resolve("checks.conf"),
        "checks.front.http.url = \"http://127.0.0.1:1/\"\n");
    Path file = TestExporter.writeConfig(dir, """
        include "checks.conf"
        include file("%s")
        include classpath("reference.conf")
        include "missing.conf"
        log.level = debug
        """.formatted(dir.resolve("checks.conf")));
    Cli.Result result = Cli.run("check-config", file.toString());
    assertThat(result.exit()).as(result.all()).isEqualTo(0);
    assertThat(result.out()).contains("front");
  }

  @Test
  void hugeConfigurationFileIsRefused() throws IOException {
    Path file = sized("exporter.conf", 5L << 20);
    Cli.Result result = Cli.run("check-config", file.toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err().lines().findFirst().orElseThrow())
        .isEqualTo(file + ": the configuration file is larger than 4 MiB");
  }

  @Test
  void sizeWithoutSaneBoundIsRefused() throws IOException {
    assertThat(refusedWithOneLine("""
        checks.front.http {
          url = "http://127.0.0.1:1/"
          body-limit = 1000TiB
        }
        """)).isEqualTo(conf() + ":3: checks.front.http.body-limit: must be at most 64MiB, got"
            + " '1000TiB'");
  }

  @Test
  void sizeBeyondWhatALongHoldsIsRefusedToo() throws IOException {
    assertThat(refusedWithOneLine("""
        checks.front.http { url = "http://127.0.0.1:1/", body-limit = 100000000000PiB }
        """)).isEqualTo(conf() + ":1: checks.front.http.body-limit: expected a size such as 512KiB"
            + " or 1MiB, got '100000000000PiB'");
  }

  @Test
  void durationWithoutSaneBoundIsRefused() throws IOException {
    assertThat(refusedWithOneLine("""
        checks.front.http.url = "http://127.0.0.1:1/"
        defaults.interval = 100000d
        """)).isEqualTo(conf() + ":2: defaults.interval: must be at most 365d, got '100000d'");
  }

  @Test
  void durationBeyondWhatALongHoldsIsRefused() throws IOException {
    assertThat(refusedWithOneLine("""
        checks.front.http.url = "http://127.0.0.1:1/"
        defaults.interval = 100000000000000000000d
        """)).startsWith(conf() + ":2: defaults.interval: expected a duration");
  }

  @Test
  void countWithoutSaneBoundIsRefused() throws IOException {
    assertThat(refusedWithOneLine("""
        sources.postgres.main {
          url = "jdbc:postgresql://127.0.0.1:1/app"
          user = exporter
          max-connections = 1000000
        }
        """)).isEqualTo(conf() + ":4: sources.postgres.main.max-connections: 1000000 is out of"
            + " range, expected 1 to 2");
    assertThat(refusedWithOneLine("""
        checks.front.http.url = "http://127.0.0.1:1/"
        events.capacity = 100000000000
        """)).isEqualTo(conf() + ":2: events.capacity: 100000000000 is out of range, expected 10"
            + " to 100000");
  }

  @Test
  void includeOfADeviceIsRefused() throws IOException {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")));
    assertThat(refusedWithOneLine("include file(\"/dev/zero\")\n"))
        .isEqualTo(conf() + ":1: include \"/dev/zero\": /dev/zero" + NOT_REGULAR);
    assertThat(refusedWithOneLine("include required(file(\"/dev/zero\"))\n"))
        .isEqualTo(conf() + ":1: include \"/dev/zero\": /dev/zero" + NOT_REGULAR);
  }

  @Test
  void includeOfADirectoryIsRefused() throws IOException {
    Path more = Files.createDirectory(dir.resolve("more.conf"));
    assertThat(refusedWithOneLine("include file(\"" + more + "\")\n"))
        .isEqualTo(conf() + ":1: include \"" + more + "\": " + more + " is a directory, not a file");
    assertThat(refusedWithOneLine("include \"more.conf\"\n"))
        .isEqualTo(conf() + ":1: include \"more.conf\": " + more + " is a directory, not a file");
  }

  @Test
  void invalidUtf8IsRefusedWithItsFileAndPosition() throws IOException {
    Path file = TestExporter.writeConfig(dir, "");
    // line 2, the byte 0xff after 'log.level = "de' (column 16)
    Files.write(file, concat("checks.front.http.url = \"http://127.0.0.1:1/\"\nlog.level = \"de",
        new byte[] {(byte) 0xff}, "bug\"\n"));
    Cli.Result result = assertTimeoutPreemptively(HANG,
        () -> Cli.run("check-config", file.toString()), "check-config hung");
    assertThat(result.exit()).as(result.all()).isEqualTo(2);
    assertThat(result.err().lines().findFirst().orElseThrow())
        .isEqualTo(conf() + ":2: not UTF-8 text: the byte at column 16 is not valid UTF-8; save the file as UTF-8");
  }

  @Test
  void invalidUtf8InAnIncludedFileNamesThatFile() throws IOException {
    Path more = dir.resolve("more.conf");
    Files.write(more, concat("log.level = info\n# caf", new byte[] {(byte) 0xe9}, "\n"));
    assertThat(refusedWithOneLine("include \"more.conf\"\n"))
        .isEqualTo(more + ":2: not UTF-8 text: the byte at column 6 is not valid UTF-8; save the file as UTF-8");
  }

  private static byte[] concat(String before, byte[] bad, String after) {
    byte[] head = before.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] tail = after.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + bad.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(bad, 0, all, head.length, bad.length);
    System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);
    return all;
  }
}

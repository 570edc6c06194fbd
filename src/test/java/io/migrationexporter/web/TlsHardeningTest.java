package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.cli.Main;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.ExporterProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 finding 8, the TLS part, tried with {@code openssl s_client} as an attacker would: a
 * client may not renegotiate a TLS 1.2 connection, and only suites that authenticate their
 * encryption (GCM, ChaCha20-Poly1305) are offered. The exporter runs in its own JVM: the JDK reads
 * its renegotiation setting once, at the first server handshake of the process.
 */
class TlsHardeningTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path dir;
  private static TestPki pki;
  private static final List<ExporterProcess> started = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl"))
        || Files.isExecutable(Path.of("/bin/openssl")), "no openssl on this machine");
    pki = new TestPki(Files.createDirectories(dir.resolve("pki"))).server("rsa", "rsa");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (ExporterProcess process : started) {
      process.close();
    }
  }

  /** Starts an exporter with TLS in a JVM of its own; returns its port. */
  private static int startExporter(String name, String... jvmOptions) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    Files.writeString(home.resolve("web.yml"), """
        tls_server_config:
          cert_file: %s
          key_file: %s
        """.formatted(pki.file("rsa.crt"), pki.file("rsa.key")));
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path config = home.resolve("exporter.conf");
    Files.writeString(config, """
        server.listen = "127.0.0.1:%d"
        server.web-config-file = web.yml
        checks.database-port.tcp.address = "127.0.0.1:1"
        """.formatted(port));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--config", config.toString()));
    ExporterProcess process = ExporterProcess.start(new ProcessBuilder(command),
        home.resolve("exporter.log"));
    started.add(process);
    process.await("the exporter listens", () -> {
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return true;
      }
    }, WAIT);
    return port;
  }

  /** openssl s_client on the exporter, TLS 1.2, with {@code options}; returns its process. */
  private static Process openssl(int port, String... options) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect",
        "127.0.0.1:" + port, "-tls1_2"));
    command.addAll(List.of(options));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /**
   * Renegotiates a TLS 1.2 connection (s_client's "R" command), then asks for /-/healthy on it;
   * returns all that s_client printed.
   */
  private static String renegotiateThenAsk(int port) throws Exception {
    Process client = openssl(port);
    Output output = new Output(client.getInputStream());
    OutputStream in = client.getOutputStream();
    try {
      Await.until("the TLS session", () -> output.text().contains("Cipher is"), WAIT);
      in.write("R\n".getBytes(StandardCharsets.US_ASCII));
      in.flush();
      Await.until("the renegotiation", () -> output.text().contains("RENEGOTIATING"), WAIT);
      try {
        // s_client ignores the rest of a line read with "R": the request goes on its own
        in.write("GET /-/healthy HTTP/1.1\r\nHost: localhost\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        in.flush();
      } catch (IOException closed) {
        // refused: s_client may be gone already
      }
      Await.until("an answer or the end of the connection",
          () -> output.text().contains("Healthy.") || !client.isAlive(), WAIT);
      return output.text();
    } finally {
      client.destroy();
      client.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void clientRenegotiationIsRefused() throws Exception {
    int port = startExporter("refusing");

    String refused = renegotiateThenAsk(port);

    assertThat(refused).contains("RENEGOTIATING").doesNotContain("Healthy.");
  }

  /** The same attack on a JVM told to allow it: proves the test above can fail. */
  @Test
  void renegotiationWouldBeAcceptedWithoutTheSetting() throws Exception {
    int port = startExporter("allowing", "-Djdk.tls.rejectClientInitiatedRenegotiation=false");

    assertThat(renegotiateThenAsk(port)).contains("RENEGOTIATING").contains("Healthy.");
  }

  @Test
  void onlyAeadSuitesAreOffered() throws Exception {
    int port = startExporter("suites");

    String cbc = handshake(port, "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-SHA:AES256-SHA"
        + ":ECDHE-RSA-AES128-SHA256:AES128-SHA256");
    String gcm = handshake(port, "ECDHE-RSA-AES128-GCM-SHA256");

    assertThat(cbc).doesNotContain("Cipher is ECDHE").doesNotContain("Cipher is AES")
        .containsIgnoringCase("handshake failure");
    assertThat(gcm).contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256");
  }

  /** A TLS handshake begun and never finished is not held either (issue 16 finding 8). */
  @Test
  void halfSentHandshakesAreClosed() throws Exception {
    int port = startExporter("half-handshake");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      // the first bytes of a ClientHello record: type, version, a length never sent in full
      socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
      socket.getOutputStream().flush();
      // the exporter's read timeout is 30 s; far below "forever", generous for a loaded machine
      socket.setSoTimeout(60_000);
      long start = System.nanoTime();
      try {
        while (socket.getInputStream().read() >= 0) {
          // an alert may come before the end
        }
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError("the half-sent handshake was held "
            + (System.nanoTime() - start) / 1_000_000 + " ms", e);
      } catch (IOException reset) {
        // closed
      }
    }
  }

  private static String handshake(int port, String ciphers) throws Exception {
    Process client = openssl(port, "-cipher", ciphers);
    client.getOutputStream().close(); // end at once after the handshake
    Output output = new Output(client.getInputStream());
    assertThat(client.waitFor(30, TimeUnit.SECONDS)).as("s_client ended").isTrue();
    output.drained();
    return output.text();
  }

  /** What a process prints, read as it comes. */
  private static final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread reader;

    Output(InputStream in) {
      reader = new Thread(() -> {
        byte[] buffer = new byte[4096];
        try {
          for (int n; (n = in.read(buffer)) > 0; ) {
            synchronized (bytes) {
              bytes.write(buffer, 0, n);
            }
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "openssl-output");
      reader.setDaemon(true);
      reader.start();
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }

    void drained() throws InterruptedException {
      reader.join(10_000);
    }
  }
}

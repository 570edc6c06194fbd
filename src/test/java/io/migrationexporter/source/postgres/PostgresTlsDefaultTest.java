package io.migrationexporter.source.postgres;

import static io.migrationexporter.source.postgres.PgSources.failure;
import static io.migrationexporter.source.postgres.PgSources.load;
import static io.migrationexporter.source.postgres.PgSources.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.testing.Await;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 finding 6: with the driver's default TLS mode, {@code prefer}, a server (or a machine
 * in the middle) that declines TLS received the password in clear. With a password set and no
 * mode chosen, the exporter now requires TLS, as lib/pq under postgres_exporter does.
 */
class PostgresTlsDefaultTest {
  private static final String PASSWORD = "clear-text-would-leak-9f2";

  @TempDir
  Path dir;

  private DecliningServer server;

  @BeforeEach
  void listen() throws IOException {
    server = new DecliningServer();
  }

  @AfterEach
  void close() throws IOException {
    server.close();
  }

  private SourceException connect(String more) throws Exception {
    try (PostgresSource source = only(load(dir, """
        sources.postgres.main {
          url = "jdbc:postgresql://127.0.0.1:%d/app%s"
          user = exporter
          password = "%s"
          connect-timeout = 5s
        }
        """.formatted(server.port(), more, PASSWORD)))) {
      return failure(source);
    }
  }

  @Test
  void withAPasswordAndNoModeTheExporterRequiresTlsAndSendsNoPassword() throws Exception {
    SourceException error = connect("");

    assertThat(server.tlsRequests.get()).as("the exporter asked for TLS").isPositive();
    assertThat(server.passwords).as("passwords received in clear").isEmpty();
    assertThat(error.kind()).isEqualTo(ErrorKind.TRANSPORT);
    assertThat(error.getMessage()).isEqualTo("the server at 127.0.0.1:" + server.port()
        + "/app declines TLS, and tls.mode require does not send the password in clear; enable"
        + " TLS on the server, or set tls.mode = prefer where the network is trusted (see"
        + " docs/postgres.md)");
  }

  @Test
  void checkConfigShowsTheTlsModeInForce() throws Exception {
    assertThat(load(dir, """
        sources.postgres.main { url = "jdbc:postgresql://127.0.0.1:1/app", user = u, password = "long-enough" }
        """).sources().get(0).describe()).contains(", TLS require,");
    assertThat(load(dir, """
        sources.postgres.main { url = "jdbc:postgresql://127.0.0.1:1/app", user = u }
        """).sources().get(0).describe()).contains(", TLS as the URL or the driver says,");
  }

  /** Proves the fake server would see a password sent in clear: the test above can fail. */
  @Test
  void aModeChosenInTheUrlIsKeptAndPreferSendsThePasswordInClear() throws Exception {
    connect("?sslmode=prefer");

    Await.until("the password in clear", () -> !server.passwords.isEmpty(), Duration.ofSeconds(10));
    assertThat(server.passwords).containsExactly(PASSWORD);
  }

  /**
   * A PostgreSQL server on loopback that answers 'N' to every request for TLS (or GSS
   * encryption), then asks for the password in clear and records what arrives.
   */
  private static final class DecliningServer implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int AUTHENTICATION_CLEARTEXT = 3;

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger tlsRequests = new AtomicInteger();
    private final List<String> passwords = new CopyOnWriteArrayList<>();
    private final Thread acceptor = new Thread(this::acceptAll, "declining-postgres");

    DecliningServer() throws IOException {
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void acceptAll() {
      while (!socket.isClosed()) {
        try (Socket client = socket.accept()) {
          client.setSoTimeout(10_000);
          converse(new DataInputStream(client.getInputStream()),
              new DataOutputStream(client.getOutputStream()));
        } catch (IOException e) {
          // the client gave up, as it should, or the test is over
        }
      }
    }

    private void converse(DataInputStream in, DataOutputStream out) throws IOException {
      while (true) {
        int length = in.readInt();
        int code = in.readInt();
        in.readNBytes(length - 8);
        if (code == SSL_REQUEST || code == GSS_REQUEST) {
          if (code == SSL_REQUEST) {
            tlsRequests.incrementAndGet();
          }
          out.writeByte('N');
          out.flush();
          continue;
        }
        break; // the startup message
      }
      out.writeByte('R');
      out.writeInt(8);
      out.writeInt(AUTHENTICATION_CLEARTEXT);
      out.flush();
      if (in.readByte() == 'p') {
        byte[] body = in.readNBytes(in.readInt() - 4);
        passwords.add(new String(body, 0, body.length - 1, StandardCharsets.UTF_8));
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}

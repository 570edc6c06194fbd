package io.migrationexporter.source.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.Ports;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TCP checks against a real listening port and a closed one on loopback. */
class TcpCheckTest {
  @TempDir
  Path dir;

  private ServerSocket listening;
  private TestExporter exporter;

  @BeforeEach
  void listen() throws IOException {
    listening = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws IOException {
    if (exporter != null) {
      exporter.close();
    }
    listening.close();
  }

  private Scrape run(String phase) throws Exception {
    exporter = TestExporter.start(dir, """
        phases.initial = %s
        checks.open-port.tcp.address = "127.0.0.1:%d"
        checks.closed-port.tcp.address = "127.0.0.1:%d"
        """.formatted(phase, listening.getLocalPort(), Ports.closed()));
    return exporter.scrape();
  }

  @Test
  void inMaintenanceAClosedPortIsOkAndAnOpenOneFailing() throws Exception {
    Scrape scrape = run("maintenance");

    assertThat(scrape.get("migration_check_status", "check", "closed-port")).isEqualTo(1);
    assertThat(scrape.get("migration_tcp_connected", "check", "closed-port")).isEqualTo(0);
    assertThat(scrape.get("migration_check_status", "check", "open-port")).isEqualTo(0);
    assertThat(scrape.get("migration_tcp_connected", "check", "open-port")).isEqualTo(1);
    assertThat(exporter.checkStatus("open-port").path("reason").asText())
        .isEqualTo("expected closed in phase maintenance, saw: Port open (connected)");
  }

  @Test
  void inPreparationAnOpenPortIsOkAndAClosedOneFailing() throws Exception {
    Scrape scrape = run("preparation");

    assertThat(scrape.get("migration_check_status", "check", "open-port")).isEqualTo(1);
    assertThat(scrape.get("migration_check_status", "check", "closed-port")).isEqualTo(0);
    assertThat(exporter.checkStatus("closed-port").path("value").asText())
        .isEqualTo("Port closed (connection refused)");
  }
}

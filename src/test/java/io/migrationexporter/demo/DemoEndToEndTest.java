package io.migrationexporter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Cli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, as a user runs it, at a high speed factor on small tables: every phase in
 * order, every migration done, the keys bigint afterwards, and after a signal nothing left: no
 * process (the PostgreSQL servers included), no listening port, no temporary directory.
 */
class DemoEndToEndTest {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration STORY = Duration.ofSeconds(120);
  private static final Duration STOP = Duration.ofSeconds(30);
  private static final Pattern LOOPBACK_PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void walksEveryPhaseMigratesBothDatabasesAndLeavesNothingOnSigterm(@TempDir Path dir)
      throws Exception {
    Path reportDir = dir.resolve("report");
    try (DemoProcess demo = new DemoProcess(dir, "--speed", "40", "--rows", "20000",
        "--port", "0", "--report-dir", reportDir.toString())) {
      demo.awaitBanner(START);
      Path workspace = demo.workspace();

      // check-config accepts the configuration the demo generated
      Cli.Result checked = Cli.run("check-config", demo.config().toString());
      assertThat(checked.exit()).as(checked.all()).isZero();

      demo.awaitPhase("done", STORY);
      Path report = Path.of(demo.awaitLine(Pattern.compile("the night's report: (\\S+) "), STORY)
          .group(1));
      assertThat(report).isEqualTo(reportDir.resolve("night-report.html"));
      assertThat(Files.readString(report)).contains("<td>reopening</td>", "Pix App");
      Cli.Result again = Cli.run("report", "--journal",
          reportDir.resolve("night.journal.jsonl").toString(), "--output", dir.toString());
      assertThat(again.exit()).as(again.all()).isZero();
      assertThat(Files.readString(dir.resolve("night-report.md"))).contains("| done |");

      List<String> phases = new ArrayList<>();
      demo.get("/api/events?limit=1000").path("events").forEach(event -> {
        if (event.path("type").asText().equals("phase") && event.has("to")) {
          phases.add(event.path("to").asText());
        }
      });
      assertThat(phases).as("phases entered, in order")
          .containsExactly("preparation", "maintenance", "migration", "reopening", "done");

      JsonNode status = demo.status();
      List<String> done = new ArrayList<>();
      status.path("migrations").forEach(migration -> {
        if (migration.path("done").asBoolean()) {
          done.add(migration.path("name").asText());
        }
      });
      assertThat(done).as(status.path("migrations").toString()).containsExactlyInAnyOrder(
          "pix-bigint", "datawarehouse-bigint", "pix-bigint-logs", "datawarehouse-bigint-logs");
      status.path("checks").forEach(check -> assertThat(check.path("state").asText())
          .as(check.toString()).isEqualTo("ok"));

      for (String database : List.of("pix", "pix_datawarehouse")) {
        assertThat(keyTypes(workspace, database)).as(database)
            .containsExactly("answers.id bigint", "knowledge-elements.answerId bigint",
                "answers_id_seq bigint");
      }

      Set<Integer> ports = listeningPorts(demo);
      List<ProcessHandle> processes = demo.processes();
      assertThat(processes.stream().map(p -> p.info().command().orElse("")))
          .as("the demo's JVM and both PostgreSQL servers are among its processes")
          .anyMatch(command -> command.endsWith("/postgres"));

      int exit = demo.stop("TERM", STOP);

      assertThat(exit).as(demo.transcript()).isEqualTo(143);
      assertNothingLeft(demo, workspace, ports, processes);
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void ctrlCDuringTheMigrationLeavesNothing(@TempDir Path dir) throws Exception {
    // enough rows for the rewrite to last a few seconds at this speed
    try (DemoProcess demo = new DemoProcess(dir, "--speed", "40", "--rows", "200000",
        "--port", "0")) {
      demo.awaitBanner(START);
      Path workspace = demo.workspace();
      Set<Integer> ports = listeningPorts(demo);
      demo.awaitLine(Pattern.compile("Altering answers\\.id type to BIGINT - In progress"), STORY);
      List<ProcessHandle> processes = demo.processes();

      int exit = demo.stop("INT", STOP);

      assertThat(exit).as(demo.transcript()).isEqualTo(130);
      assertNothingLeft(demo, workspace, ports, processes);
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aBusyPortStopsTheStartAndUndoesIt(@TempDir Path dir) throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        DemoProcess demo = new DemoProcess(dir, "--rows", "1000", "--port",
            Integer.toString(busy.getLocalPort()))) {
      Path workspace = Path.of(demo.awaitLine(
          Pattern.compile("PostgreSQL servers in (\\S+) \\.\\.\\.$"), START).group(1));

      assertThat(demo.process().waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();

      assertThat(demo.process().exitValue()).as(demo.transcript()).isEqualTo(1);
      assertThat(demo.transcript()).contains("cannot listen on 127.0.0.1:" + busy.getLocalPort());
      assertThat(workspace).as("the temporary directory").doesNotExist();
      assertThat(demo.process().descendants()).isEmpty();
    }
  }

  /**
   * The ports the demo listens on: its exporter's, and those its configuration and its pgpass
   * file name (the simulated apps, the fake APIs, the PostgreSQL servers).
   */
  private static Set<Integer> listeningPorts(DemoProcess demo) throws IOException {
    Set<Integer> ports = new LinkedHashSet<>(List.of(demo.port()));
    Matcher listed = LOOPBACK_PORT.matcher(Files.readString(demo.config())
        + Files.readString(demo.workspace().resolve("pgpass")));
    while (listed.find()) {
      ports.add(Integer.parseInt(listed.group(1)));
    }
    return ports;
  }

  private static void assertNothingLeft(DemoProcess demo, Path workspace, Set<Integer> ports,
      List<ProcessHandle> processes) {
    assertThat(workspace).as("the temporary directory; " + demo.transcript()).doesNotExist();
    for (int port : ports) {
      assertThat(listening(port)).as("127.0.0.1:" + port + " still listening").isFalse();
    }
    for (ProcessHandle process : processes) {
      Await.until("process " + process.pid() + " " + process.info().command().orElse("")
          + " gone", () -> !process.isAlive(), Duration.ofSeconds(5));
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The types of the keys, from information_schema, as the tables' owner sees them. */
  private static List<String> keyTypes(Path workspace, String database)
      throws IOException, SQLException {
    String entry = Files.readAllLines(workspace.resolve("pgpass")).stream()
        .filter(line -> line.contains(":" + database + ":")).findFirst().orElseThrow();
    String[] fields = entry.split(":");
    Properties login = new Properties();
    login.setProperty("user", fields[3]);
    login.setProperty("password", fields[4]);
    List<String> types = new ArrayList<>();
    try (Connection session = DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + fields[1] + "/" + database, login);
        Statement sql = session.createStatement()) {
      try (ResultSet columns = sql.executeQuery("SELECT table_name, column_name, data_type"
          + " FROM information_schema.columns WHERE (table_name, column_name) IN"
          + " (('answers', 'id'), ('knowledge-elements', 'answerId')) ORDER BY table_name")) {
        while (columns.next()) {
          types.add(columns.getString(1) + "." + columns.getString(2) + " "
              + columns.getString(3));
        }
      }
      try (ResultSet sequence = sql.executeQuery("SELECT sequence_name, data_type"
          + " FROM information_schema.sequences WHERE sequence_name = 'answers_id_seq'")) {
        while (sequence.next()) {
          types.add(sequence.getString(1) + " " + sequence.getString(2));
        }
      }
    }
    return types;
  }
}

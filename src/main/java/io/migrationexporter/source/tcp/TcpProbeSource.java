package io.migrationexporter.source.tcp;

import io.migrationexporter.collect.BlockingSource;
import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.source.TransportError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * One TCP check's source: a connection attempt per refresh. Refused or unanswered means closed,
 * for pieces of infrastructure that have no HTTP face (a database port, a message broker).
 */
final class TcpProbeSource extends BlockingSource {
  static final String OBSERVATION = "tcp";

  static final MetricDef CONNECTED = MetricDef.gauge("migration_tcp_connected",
      "1 when the last connection attempt of a TCP check succeeded, 0 otherwise.", "check", "app");
  static final MetricDef DURATION = MetricDef.gauge("migration_tcp_duration_seconds",
      "Duration of the last connection attempt of a TCP check.", "check", "app");

  private final TcpProbe probe;

  TcpProbeSource(TcpProbe probe) {
    this.probe = probe;
  }

  static String id(String check) {
    return "tcp:" + check;
  }

  static String describe(TcpProbe probe) {
    return "connect to " + probe.host() + ":" + probe.port() + ", timeout "
        + Durations.format(probe.timeout());
  }

  @Override
  protected Reading read(RefreshContext context) {
    Duration budget = probe.timeout().compareTo(context.remaining()) < 0 ? probe.timeout()
        : context.remaining();
    long start = System.nanoTime();
    Observation observation;
    boolean connected = false;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(probe.host(), probe.port()),
          (int) Math.max(1, budget.toMillis()));
      connected = true;
      observation = Observation.open("Port open (connected)");
    } catch (IOException e) {
      TransportError error = TransportError.classify(e);
      observation = switch (error.kind()) {
        case TransportError.CONNECT -> Observation.closed("Port closed (" + error.words() + ")");
        case TransportError.TIMEOUT -> Observation.closed("Port closed (no answer within "
            + budget.toMillis() + " ms)");
        default -> Observation.neither("Unreachable: " + error.words() + " (" + error.kind() + ")");
      };
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return Reading.builder()
        .sample(CONNECTED, connected ? 1 : 0, probe.check(), probe.app())
        .sample(DURATION, seconds, probe.check(), probe.app())
        .observation(OBSERVATION, observation)
        .build();
  }
}

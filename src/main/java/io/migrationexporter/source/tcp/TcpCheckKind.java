package io.migrationexporter.source.tcp;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.config.CheckKind;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import java.time.Duration;
import java.util.List;

/** {@code tcp { address = "10.0.0.5:5432" }}: a port that must refuse connections when closed. */
public final class TcpCheckKind implements CheckKind<TcpCheckKind.Defaults> {
  /** {@code defaults.tcp}. */
  public record Defaults(Duration timeout) {}

  @Override
  public String name() {
    return "tcp";
  }

  @Override
  public List<MetricDef> families() {
    return List.of(TcpProbeSource.CONNECTED, TcpProbeSource.DURATION);
  }

  @Override
  public String defaultGroup() {
    return "maintenance";
  }

  @Override
  public Defaults parseDefaults(ConfigNode node) {
    return new Defaults(node.duration("timeout"));
  }

  @Override
  public Binding bind(CheckContext<Defaults> check) {
    ConfigNode block = check.block();
    String address = block.string("address");
    int colon = address.lastIndexOf(':');
    String host = colon > 0 ? address.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw block.fail("address", "expected host:port such as db.internal:5432, got '" + address + "'");
    }
    Duration timeout = block.duration("timeout", check.defaults().timeout());
    TcpProbe probe = new TcpProbe(check.checkName(), check.node().string("app", ""), host, port,
        timeout);
    SourceDefinition source = new SourceDefinition(TcpProbeSource.id(check.checkName()),
        check.plan().schedule(check.node(), timeout.plusSeconds(1)), probe);
    check.plan().addSource(source, block, "address");
    return new Binding(source.id(), TcpProbeSource.OBSERVATION);
  }

  @Override
  public KindExample example(ExampleTarget target) {
    return KindExample.probe("""
        checks.example { interval = %s, tcp { address = "%s:%d", timeout = %s } }
        """.formatted(target.interval(), target.host(), target.port(), target.timeout()));
  }
}

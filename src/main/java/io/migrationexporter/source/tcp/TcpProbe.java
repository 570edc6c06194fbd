package io.migrationexporter.source.tcp;

import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import java.time.Duration;

/** A TCP check as configured: its source's settings. */
record TcpProbe(String check, String app, String host, int port, Duration timeout)
    implements SourceSettings {

  @Override
  public Source open(SourceDefinition definition, SharedResources shared) {
    return new TcpProbeSource(this);
  }

  @Override
  public String describe(SourceDefinition definition) {
    return TcpProbeSource.describe(this);
  }
}

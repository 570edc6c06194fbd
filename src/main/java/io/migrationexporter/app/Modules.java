package io.migrationexporter.app;

import io.migrationexporter.config.CheckKind;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.config.SourceKind;
import io.migrationexporter.source.datadog.DatadogSourceKind;
import io.migrationexporter.source.freshping.FreshpingCheckKind;
import io.migrationexporter.source.freshping.FreshpingSourceKind;
import io.migrationexporter.source.http.HttpCheckKind;
import io.migrationexporter.source.kubernetes.KubernetesCheckKinds;
import io.migrationexporter.source.kubernetes.KubernetesSourceKind;
import io.migrationexporter.source.postgres.PostgresSourceKind;
import io.migrationexporter.source.scalingo.ScalingoCheckKinds;
import io.migrationexporter.source.scalingo.ScalingoSourceKind;
import io.migrationexporter.source.tcp.TcpCheckKind;
import java.util.List;

/** The one place that lists every kind of check and source the exporter knows. */
public final class Modules {
  private Modules() {}

  public static List<CheckKind<?>> checkKinds() {
    return List.of(new HttpCheckKind(), new TcpCheckKind(), ScalingoCheckKinds.containers(),
        ScalingoCheckKinds.backups(), new FreshpingCheckKind(), KubernetesCheckKinds.workloads(),
        KubernetesCheckKinds.cronJobs());
  }

  public static List<SourceKind> sourceKinds() {
    return List.of(new PostgresSourceKind(), new ScalingoSourceKind(), new FreshpingSourceKind(),
        new DatadogSourceKind(), new KubernetesSourceKind());
  }

  public static ConfigLoader loader() {
    return new ConfigLoader(checkKinds(), sourceKinds());
  }
}

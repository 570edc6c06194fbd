package io.migrationexporter.config;

import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.check.GateDefinition;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.migration.MigrationDefinition;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated configuration, ready to run: everything the exporter does follows from it. It is
 * data only, holding no resource: the collector creates the sources from their definitions when
 * the plan is activated.
 */
public record Plan(Path file, ServerSettings server, LogSettings log, PhaseSettings phases,
    int journalCapacity, Map<String, AppDefinition> apps, List<SourceDefinition> sources,
    List<CheckDefinition> checks, List<GateDefinition> gates,
    List<MigrationDefinition> migrations, JournalSettings journalFile) {

  public Plan {
    migrations = List.copyOf(migrations);
    apps = Collections.unmodifiableMap(new LinkedHashMap<>(apps));
    sources = List.copyOf(sources);
    checks = List.copyOf(checks);
    gates = List.copyOf(gates);
  }

  public Optional<SourceDefinition> source(String id) {
    return sources.stream().filter(source -> source.id().equals(id)).findFirst();
  }

  public Optional<GateDefinition> gate(String name) {
    return gates.stream().filter(gate -> gate.name().equals(name)).findFirst();
  }
}

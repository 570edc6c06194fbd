package io.migrationexporter.source.scalingo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The parts of Scalingo's answers the sources read; every other field is ignored. */
final class ScalingoJson {
  private ScalingoJson() {}

  record TokenAnswer(String token) {}

  record PsAnswer(List<Container> containers) {}

  /** A running container: {@code type} is the process type or {@code one-off}. */
  record Container(String id, String type, String label, String state, String createdAt) {}

  record FormationAnswer(List<Formation> containers) {}

  /** The desired scale of one process type. */
  record Formation(String name, Integer amount) {}

  record AddonsAnswer(List<Addon> addons) {}

  record Addon(String id, Provider addonProvider) {}

  record Provider(String id) {}

  record AddonTokenAnswer(AddonToken addon) {}

  record AddonToken(String token) {}

  record DatabaseAnswer(Database database) {}

  record Database(Boolean periodicBackupsEnabled, List<String> periodicBackupsScheduledAt) {}

  /** {@code memory} holds byte counts whose field names vary: read leniently. */
  record DatabaseMetrics(Double cpuUsage, JsonNode memory, DatabaseStats databaseStats) {}

  record DatabaseStats(Long dataSize, Long currentConnections) {}
}

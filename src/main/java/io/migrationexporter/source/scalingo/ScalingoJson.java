package io.migrationexporter.source.scalingo;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The parts of Scalingo's answers the sources read; every other field is ignored.
 * A list of records holding a null is refused as an unexpected shape (Nulls.FAIL).
 */
final class ScalingoJson {
  private ScalingoJson() {}

  record TokenAnswer(String token) {}

  record PsAnswer(@JsonSetter(contentNulls = Nulls.FAIL) List<Container> containers) {}

  /**
   * A container {@code /ps} lists: {@code type} is the process type or {@code one-off}; stopped,
   * crashed and deleted ({@code deleted_at} set) ones may still be listed.
   */
  record Container(String id, String type, String label, String state, String createdAt,
      String deletedAt) {}

  record FormationAnswer(@JsonSetter(contentNulls = Nulls.FAIL) List<Formation> containers) {}

  /** The desired scale of one process type. */
  record Formation(String name, Integer amount) {}

  record AddonsAnswer(@JsonSetter(contentNulls = Nulls.FAIL) List<Addon> addons) {}

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

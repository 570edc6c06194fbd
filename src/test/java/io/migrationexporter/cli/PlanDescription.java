package io.migrationexporter.cli;

import io.migrationexporter.config.Plan;
import io.migrationexporter.web.WebConfig;

/** What {@code check-config} prints of a plan, before its last-line redaction. */
public final class PlanDescription {
  private PlanDescription() {}

  public static String of(Plan plan) {
    return CheckConfigCommand.describe(plan, WebConfig.PLAIN);
  }
}

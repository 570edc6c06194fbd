package io.migrationexporter.collect;

import java.util.List;

/**
 * The metric families the core serves whatever the configured kinds: the exporter's own, the
 * phases, checks and gates, every source's refresh accounting and the migrations' progress.
 * Declared here, beneath the configuration and every kind, so that loading a configuration checks
 * the kinds' families against them; {@code metrics/Exposition} emits them.
 */
public final class CoreFamilies {
  // The exporter itself.
  public static final MetricDef BUILD_INFO = MetricDef.gauge("migration_exporter_build_info",
      "Always 1; the version of the running exporter.", "version");
  public static final MetricDef RELOAD_OK = MetricDef.gauge(
      "migration_exporter_config_last_reload_successful",
      "1 when the last configuration load or reload succeeded, 0 when it was refused.");
  public static final MetricDef RELOAD_AT = MetricDef.gauge(
      "migration_exporter_config_last_reload_success_timestamp_seconds",
      "When the configuration in force was loaded.");
  public static final MetricDef AUTH_FAILURES = MetricDef.counter(
      "migration_exporter_auth_failures",
      "Failed authentication attempts by method: basic (basic auth) or admin_token.", "method");

  // Phases.
  public static final MetricDef PHASE = MetricDef.gauge("migration_phase",
      "1 for the current phase of the operation, 0 for the others.", "phase");
  public static final MetricDef PHASE_ENTERED = MetricDef.gauge(
      "migration_phase_entered_timestamp_seconds",
      "When each phase was last entered.", "phase");

  // Checks and gates.
  public static final MetricDef CHECK_STATUS = MetricDef.gauge("migration_check_status",
      "Check outcome in the current phase: 1 ok, 0 failing, -1 unknown (never ok).",
      "check", "group", "app", "kind");
  public static final MetricDef CHECK_EXPECTED = MetricDef.gauge("migration_check_expected",
      "Always 1; the label says what the current phase expects of the check's target: closed,"
          + " open or any.", "check", "expected");
  public static final MetricDef CHECK_OBSERVED = MetricDef.gauge("migration_check_observed",
      "Always 1; the label says what was last seen of the check's target: closed, open,"
          + " neither, or unknown.", "check", "observed");
  public static final MetricDef CHECK_VALUE = MetricDef.gauge("migration_check_value",
      "The count behind the check's words when its source has one (containers running, other"
          + " connections); absent when it has none or the check is unknown.", "check");
  public static final MetricDef GATE_OPEN = MetricDef.gauge("migration_gate_open",
      "1 when every check the gate selects is ok in the gate's phase.", "gate");
  public static final MetricDef GATE_APPLIES = MetricDef.gauge("migration_gate_applies",
      "1 when the gate answers the question of the current phase (its GO / NO GO is the"
          + " headline), 0 otherwise.", "gate");
  public static final MetricDef CHECK_INFO = MetricDef.gauge("migration_check_info",
      "Always 1; the labels carry the check's title, group and app, for dashboards and alerts.",
      "check", "title", "group", "app");
  public static final MetricDef GATE_BLOCKING = MetricDef.gauge("migration_gate_blocking_checks",
      "How many checks keep the gate closed: those it selects that are not ok.", "gate");

  // Every source, whatever its kind: its refresh accounting by the collection model.
  public static final MetricDef SOURCE_UP = MetricDef.gauge("migration_source_up",
      "1 when the last refresh of the source succeeded.", "source");
  public static final MetricDef SOURCE_DURATION = MetricDef.gauge(
      "migration_source_duration_seconds",
      "Duration of the last refresh of the source.", "source");
  public static final MetricDef SOURCE_SUCCESS_AT = MetricDef.gauge(
      "migration_source_last_success_timestamp_seconds",
      "When the source was last read successfully.", "source");
  public static final MetricDef SOURCE_STALE_AFTER = MetricDef.gauge(
      "migration_source_stale_after_seconds",
      "Age after which the source's data no longer counts and its checks turn unknown.", "source");
  public static final MetricDef SOURCE_REFRESHES = MetricDef.counter("migration_source_refreshes",
      "Refreshes of the source, successful or not.", "source");
  public static final MetricDef SOURCE_ERRORS = MetricDef.counter("migration_source_errors",
      "Failed refreshes of the source by kind: auth, forbidden, not-found, rate-limited, server,"
          + " transport, timeout, bad-payload, internal.", "source", "kind");

  // Migrations, from the progress their sources report.
  public static final MetricDef MIGRATION_STEPS = MetricDef.gauge("migration_steps",
      "Number of configured steps of the migration.", "migration");
  public static final MetricDef STEP_EXPECTED = MetricDef.gauge(
      "migration_step_expected_duration_seconds",
      "Expected duration of each step, from the configuration.", "migration", "step", "index");
  public static final MetricDef PROGRESS_KNOWN = MetricDef.gauge("migration_progress_known",
      "1 when the migration's source gave fresh data; when 0, the other migration metrics are"
          + " absent rather than old.", "migration");
  public static final MetricDef STEP_INDEX = MetricDef.gauge("migration_step_index",
      "Current step as people count: 0 before the first step, n of n once done.", "migration");
  public static final MetricDef STEP_INFO = MetricDef.gauge("migration_step_info",
      "1 for the current step of the migration, 0 for the others.", "migration", "step", "index");
  public static final MetricDef STEP_STARTED = MetricDef.gauge(
      "migration_step_started_timestamp_seconds",
      "When the current step started.", "migration");
  public static final MetricDef STEP_PROGRESS = MetricDef.gauge("migration_step_progress_ratio",
      "Measured progress of the current step, 0 to 1, when the source can measure it.",
      "migration");
  public static final MetricDef MIGRATION_PROGRESS = MetricDef.gauge("migration_progress_ratio",
      "Overall progress, steps weighted by their expected durations; absent when a figure is"
          + " missing.", "migration");
  public static final MetricDef MIGRATION_ETA = MetricDef.gauge("migration_eta_timestamp_seconds",
      "When the migration should end, from measured step progress and expected durations.",
      "migration");
  public static final MetricDef MIGRATION_DONE = MetricDef.gauge("migration_done",
      "1 once the last step of the migration finished.", "migration");
  public static final MetricDef MIGRATION_HEARTBEAT = MetricDef.gauge(
      "migration_heartbeat_timestamp_seconds",
      "Last sign of life of the migration process.", "migration");
  public static final MetricDef MIGRATION_STATE = MetricDef.gauge("migration_state",
      "1 for the migration's current state, 0 for the others: not_started, running (fresh sign"
          + " of life), waiting (on a lock), silent (no sign of life past silent-after),"
          + " interrupted, done, unknown.", "migration", "state");
  public static final MetricDef MIGRATION_STATE_ENTERED = MetricDef.gauge(
      "migration_state_entered_timestamp_seconds",
      "When the migration entered its current state (migration_state).", "migration");

  /** Every family above. */
  public static final List<MetricDef> ALL = List.of(BUILD_INFO, RELOAD_OK, RELOAD_AT,
      AUTH_FAILURES, PHASE, PHASE_ENTERED, CHECK_STATUS, CHECK_EXPECTED, CHECK_OBSERVED,
      CHECK_VALUE, GATE_OPEN, GATE_APPLIES, CHECK_INFO, GATE_BLOCKING, SOURCE_UP, SOURCE_DURATION,
      SOURCE_SUCCESS_AT, SOURCE_STALE_AFTER, SOURCE_REFRESHES, SOURCE_ERRORS, MIGRATION_STEPS,
      STEP_EXPECTED, PROGRESS_KNOWN, STEP_INDEX, STEP_INFO, STEP_STARTED, STEP_PROGRESS,
      MIGRATION_PROGRESS, MIGRATION_ETA, MIGRATION_DONE, MIGRATION_HEARTBEAT, MIGRATION_STATE,
      MIGRATION_STATE_ENTERED);

  private CoreFamilies() {}
}

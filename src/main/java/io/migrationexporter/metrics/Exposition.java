package io.migrationexporter.metrics;

import io.migrationexporter.app.Board;
import io.migrationexporter.app.BoardRenderings;
import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Sample;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.migration.MigrationState;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.web.AuthFailures;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a {@link Board} into Prometheus metric snapshots and serialized bytes. Bytes are cached
 * beside the newest boards per format and encoding ({@link BoardRenderings}): under heavy
 * scraping, serializing once per board instead of once per scrape is what keeps /metrics cheap.
 * Each new board is rendered ahead, off the request threads, in the formats scrapers asked for
 * recently, so a steady scraper finds its bytes ready.
 */
public final class Exposition {
  private static final Logger LOG = Logger.getLogger(Exposition.class.getName());
  /**
   * How long a format asked once is rendered ahead for every new board: longer than any usual
   * scrape interval, short enough that one curl in another format costs little.
   */
  static final Duration RECENTLY = Duration.ofMinutes(5);

  static final MetricDef BUILD_INFO = MetricDef.gauge("migration_exporter_build_info",
      "Always 1; the version of the running exporter.", "version");
  static final MetricDef RELOAD_OK = MetricDef.gauge(
      "migration_exporter_config_last_reload_successful",
      "1 when the last configuration load or reload succeeded, 0 when it was refused.");
  static final MetricDef RELOAD_AT = MetricDef.gauge(
      "migration_exporter_config_last_reload_success_timestamp_seconds",
      "When the configuration in force was loaded.");
  static final MetricDef AUTH_FAILURES = MetricDef.counter("migration_exporter_auth_failures",
      "Failed authentication attempts by method: basic (basic auth) or admin_token.", "method");
  static final MetricDef PHASE = MetricDef.gauge("migration_phase",
      "1 for the current phase of the operation, 0 for the others.", "phase");
  static final MetricDef PHASE_ENTERED = MetricDef.gauge("migration_phase_entered_timestamp_seconds",
      "When each phase was last entered.", "phase");
  static final MetricDef CHECK_STATUS = MetricDef.gauge("migration_check_status",
      "Check outcome in the current phase: 1 ok, 0 failing, -1 unknown (never ok).",
      "check", "group", "app", "kind");
  static final MetricDef CHECK_EXPECTED = MetricDef.gauge("migration_check_expected",
      "Always 1; the label says what the current phase expects of the check's target: closed,"
          + " open or any.", "check", "expected");
  static final MetricDef CHECK_OBSERVED = MetricDef.gauge("migration_check_observed",
      "Always 1; the label says what was last seen of the check's target: closed, open,"
          + " neither, or unknown.", "check", "observed");
  static final MetricDef CHECK_VALUE = MetricDef.gauge("migration_check_value",
      "The count behind the check's words when its source has one (containers running, other"
          + " connections); absent when it has none or the check is unknown.", "check");
  static final MetricDef GATE_OPEN = MetricDef.gauge("migration_gate_open",
      "1 when every check the gate selects is ok in the gate's phase.", "gate");
  static final MetricDef GATE_APPLIES = MetricDef.gauge("migration_gate_applies",
      "1 when the gate answers the question of the current phase (its GO / NO GO is the"
          + " headline), 0 otherwise.", "gate");
  static final MetricDef CHECK_INFO = MetricDef.gauge("migration_check_info",
      "Always 1; the labels carry the check's title, group and app, for dashboards and alerts.",
      "check", "title", "group", "app");
  static final MetricDef GATE_BLOCKING = MetricDef.gauge("migration_gate_blocking_checks",
      "How many checks keep the gate closed.", "gate");
  static final MetricDef SOURCE_UP = MetricDef.gauge("migration_source_up",
      "1 when the last refresh of the source succeeded.", "source");
  static final MetricDef SOURCE_DURATION = MetricDef.gauge("migration_source_duration_seconds",
      "Duration of the last refresh of the source.", "source");
  static final MetricDef SOURCE_SUCCESS_AT = MetricDef.gauge(
      "migration_source_last_success_timestamp_seconds",
      "When the source was last read successfully.", "source");
  static final MetricDef SOURCE_STALE_AFTER = MetricDef.gauge("migration_source_stale_after_seconds",
      "Age after which the source's data no longer counts and its checks turn unknown.", "source");
  static final MetricDef SOURCE_REFRESHES = MetricDef.counter("migration_source_refreshes",
      "Refreshes of the source, successful or not.", "source");
  static final MetricDef SOURCE_ERRORS = MetricDef.counter("migration_source_errors",
      "Failed refreshes of the source by kind: auth, not-found, rate-limited, server, transport,"
          + " timeout, bad-payload, internal.", "source", "kind");

  static final MetricDef STEPS = MetricDef.gauge("migration_steps",
      "Number of configured steps of the migration.", "migration");
  static final MetricDef STEP_EXPECTED = MetricDef.gauge("migration_step_expected_duration_seconds",
      "Expected duration of each step, from the configuration.", "migration", "step", "index");
  static final MetricDef KNOWN = MetricDef.gauge("migration_progress_known",
      "1 when the migration's source gave fresh data; when 0, the other migration metrics are"
          + " absent rather than old.", "migration");
  static final MetricDef STEP_INDEX = MetricDef.gauge("migration_step_index",
      "Current step as people count: 0 before the first step, n of n once done.", "migration");
  static final MetricDef STEP_INFO = MetricDef.gauge("migration_step_info",
      "1 for the current step of the migration, 0 for the others.", "migration", "step", "index");
  static final MetricDef STEP_STARTED = MetricDef.gauge("migration_step_started_timestamp_seconds",
      "When the current step started.", "migration");
  static final MetricDef STEP_PROGRESS = MetricDef.gauge("migration_step_progress_ratio",
      "Measured progress of the current step, 0 to 1, when the source can measure it.",
      "migration");
  static final MetricDef PROGRESS = MetricDef.gauge("migration_progress_ratio",
      "Overall progress, steps weighted by their expected durations; absent when a figure is"
          + " missing.", "migration");
  static final MetricDef ETA = MetricDef.gauge("migration_eta_timestamp_seconds",
      "When the migration should end, from measured step progress and expected durations.",
      "migration");
  static final MetricDef DONE = MetricDef.gauge("migration_done",
      "1 once the last step of the migration finished.", "migration");
  static final MetricDef HEARTBEAT = MetricDef.gauge("migration_heartbeat_timestamp_seconds",
      "Last sign of life of the migration process.", "migration");
  static final MetricDef STATE = MetricDef.gauge("migration_state",
      "1 for the migration's current state, 0 for the others: not_started, running (fresh sign"
          + " of life), waiting (on a lock), silent (no sign of life past silent-after),"
          + " interrupted, done, unknown.", "migration", "state");
  static final MetricDef STATE_ENTERED = MetricDef.gauge(
      "migration_state_entered_timestamp_seconds",
      "When the migration entered its current state (migration_state).", "migration");

  private final String version;
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final BoardRenderings renderings = new BoardRenderings();
  /** The formats asked for, by key, with the board they were last asked of: at most 8 entries. */
  private final Map<String, Asked> asked = new ConcurrentHashMap<>();

  /** A format and encoding scrapers asked for, and the instant of the board they last got. */
  private record Asked(ExpositionFormatWriter writer, boolean gzip, Instant boardAt) {}

  public Exposition(String version) {
    this.version = version;
  }

  /** The writer for a scraper's Accept header: protobuf, OpenMetrics or the Prometheus text format. */
  public ExpositionFormatWriter writer(String acceptHeader) {
    return formats.findWriter(acceptHeader);
  }

  /**
   * The serialized board for {@code writer}, gzipped if asked, only if it is rendered already:
   * never serializes, so an I/O thread may call it.
   */
  public Optional<byte[]> ready(Board board, ExpositionFormatWriter writer, boolean gzip) {
    remember(board, writer, gzip);
    return renderings.renderingIfDone(board, key(writer, gzip));
  }

  /**
   * The serialized board for {@code writer}, gzipped if asked; computed once per board, waiting
   * while another thread computes it. Not for an I/O thread.
   */
  public byte[] bytes(Board board, ExpositionFormatWriter writer, boolean gzip) {
    remember(board, writer, gzip);
    return render(board, writer, gzip);
  }

  /**
   * Renders {@code board} in every format asked of a board at most {@link #RECENTLY} older,
   * latest asked first. For a background thread, with each new board.
   */
  public void renderAhead(Board board) {
    asked.values().stream()
        .filter(format -> !format.boardAt().plus(RECENTLY).isBefore(board.at()))
        .sorted(Comparator.comparing(Asked::boardAt).reversed())
        .forEach(format -> render(board, format.writer(), format.gzip()));
  }

  private void remember(Board board, ExpositionFormatWriter writer, boolean gzip) {
    asked.merge(key(writer, gzip), new Asked(writer, gzip, board.at()),
        (old, now) -> old.boardAt().isAfter(now.boardAt()) ? old : now);
  }

  private byte[] render(Board board, ExpositionFormatWriter writer, boolean gzip) {
    String type = writer.getContentType();
    byte[] plain = renderings.rendering(board, key(writer, false),
        () -> logged(board, type, () -> serialize(board, writer)));
    if (!gzip) {
      return plain;
    }
    return renderings.rendering(board, key(writer, true),
        () -> logged(board, type + " gzipped", () -> gzip(plain)));
  }

  /** Renders and logs, at FINE, what it cost and on which thread. */
  private byte[] logged(Board board, String what, Supplier<byte[]> render) {
    long start = System.nanoTime();
    byte[] bytes = render.get();
    LOG.fine(() -> "rendered the board of " + board.at() + " as " + what + ": " + bytes.length
        + " bytes in " + (System.nanoTime() - start) / 1_000_000 + " ms on thread "
        + Thread.currentThread().getName());
    return bytes;
  }

  private static String key(ExpositionFormatWriter writer, boolean gzip) {
    return "metrics:" + writer.getContentType() + (gzip ? ":gzip" : "");
  }

  private byte[] serialize(Board board, ExpositionFormatWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      writer.write(out, snapshots(board));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public MetricSnapshots snapshots(Board board) {
    Families families = new Families();
    families.add(BUILD_INFO, 1, version);
    families.add(RELOAD_OK, board.config().lastReloadSuccessful() ? 1 : 0);
    families.add(RELOAD_AT, seconds(board.config().lastSuccessAt()));
    for (AuthFailures.Method method : AuthFailures.Method.values()) {
      families.add(AUTH_FAILURES, AuthFailures.total(method), method.label());
    }

    String current = board.phase().current();
    for (String phase : board.phaseOrder()) {
      families.add(PHASE, phase.equals(current) ? 1 : 0, phase);
      Instant entered = board.phase().entered().get(phase);
      if (entered != null) {
        families.add(PHASE_ENTERED, seconds(entered), phase);
      }
    }

    for (CheckResult result : board.checks()) {
      String check = result.check().name();
      families.add(CHECK_STATUS, result.state().value(), check, result.check().group(),
          result.check().app(), result.check().kind());
      families.add(CHECK_INFO, 1, check, result.check().title(), result.check().group(),
          result.check().app());
      families.add(CHECK_EXPECTED, 1, check, result.expected().label());
      families.add(CHECK_OBSERVED, 1, check, observed(result));
      result.quantity().ifPresent(quantity -> families.add(CHECK_VALUE, quantity.amount(), check));
    }

    for (GateResult gate : board.gates()) {
      families.add(GATE_OPEN, gate.open() ? 1 : 0, gate.gate().name());
      families.add(GATE_BLOCKING, gate.blocking().size(), gate.gate().name());
      families.add(GATE_APPLIES, gate.gate().speaksFor(current) ? 1 : 0, gate.gate().name());
    }

    for (MigrationStatus migration : board.migrations()) {
      addMigration(families, migration, board.at());
    }

    for (SourceState source : board.sources().values()) {
      String id = source.sourceId();
      SourceSchedule schedule = board.schedules().get(id);
      families.add(SOURCE_UP, source.up() ? 1 : 0, id);
      source.lastDuration().ifPresent(d -> families.add(SOURCE_DURATION, d.toNanos() / 1e9, id));
      source.lastSuccessAt().ifPresent(at -> families.add(SOURCE_SUCCESS_AT, seconds(at), id));
      families.add(SOURCE_STALE_AFTER, schedule.staleAfter().toMillis() / 1e3, id);
      families.add(SOURCE_REFRESHES, source.refreshes(), id);
      for (Map.Entry<ErrorKind, Long> failures : source.failures().entrySet()) {
        families.add(SOURCE_ERRORS, failures.getValue(), id, failures.getKey().label());
      }
      // A source's own samples are shown while they are evidence, and dropped once stale.
      boolean fresh = source.age(board.at())
          .map(age -> age.compareTo(schedule.staleAfter()) <= 0).orElse(false);
      if (fresh) {
        source.lastReading().ifPresent(reading -> reading.samples().forEach(families::add));
      }
    }
    return families.build();
  }

  private static void addMigration(Families families, MigrationStatus status, Instant now) {
    String name = status.migration().name();
    List<StepDefinition> steps = status.migration().steps();
    families.add(STEPS, steps.size(), name);
    for (int i = 0; i < steps.size(); i++) {
      int index = i;
      steps.get(i).expected().ifPresent(expected ->
          families.add(STEP_EXPECTED, expected.toMillis() / 1e3, name, steps.get(index).name(),
              Integer.toString(index + 1)));
    }
    families.add(KNOWN, status.known() ? 1 : 0, name);
    MigrationState state = status.state(now);
    for (MigrationState each : MigrationState.values()) {
      families.add(STATE, each == state ? 1 : 0, name, each.label());
    }
    status.stateEnteredAt().ifPresent(at -> families.add(STATE_ENTERED, seconds(at), name));
    if (!status.known()) {
      return;
    }
    StepProgress progress = status.progress().orElseThrow();
    families.add(STEP_INDEX, status.stepNumber(), name);
    for (int i = 0; i < steps.size(); i++) {
      boolean current = !progress.done() && progress.step() == i;
      families.add(STEP_INFO, current ? 1 : 0, name, steps.get(i).name(), Integer.toString(i + 1));
    }
    progress.stepStartedAt().ifPresent(at -> families.add(STEP_STARTED, seconds(at), name));
    progress.stepRatio().ifPresent(ratio -> families.add(STEP_PROGRESS, ratio, name));
    status.overallRatio().ifPresent(ratio -> families.add(PROGRESS, ratio, name));
    status.eta(now).ifPresent(at -> families.add(ETA, seconds(at), name));
    families.add(DONE, progress.done() ? 1 : 0, name);
    progress.heartbeatAt().ifPresent(at -> families.add(HEARTBEAT, seconds(at), name));
  }

  private static String observed(CheckResult result) {
    if (result.observedClosed() == null) {
      return "unknown";
    }
    if (result.observedClosed()) {
      return "closed";
    }
    return result.observedOpen() ? "open" : "neither";
  }

  private static double seconds(Instant at) {
    return at.toEpochMilli() / 1e3;
  }

  /** Groups samples by family, keeping the order in which families first appear. */
  private static final class Families {
    private final Map<String, MetricDef> defs = new LinkedHashMap<>();
    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();

    void add(MetricDef def, double value, String... labelValues) {
      add(new Sample(def, List.of(labelValues), value));
    }

    void add(Sample sample) {
      MetricDef def = sample.metric();
      MetricDef known = defs.putIfAbsent(def.name(), def);
      if (known != null && !known.equals(def)) {
        throw new IllegalStateException("two definitions of " + def.name());
      }
      samples.computeIfAbsent(def.name(), name -> new ArrayList<>()).add(sample);
    }

    MetricSnapshots build() {
      List<MetricSnapshot> out = new ArrayList<>(defs.size());
      for (MetricDef def : defs.values()) {
        out.add(snapshot(def, samples.get(def.name())));
      }
      return new MetricSnapshots(out);
    }

    private static MetricSnapshot snapshot(MetricDef def, List<Sample> samples) {
      if (def.type() == MetricDef.Type.COUNTER) {
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(def.name()).help(def.help());
        for (Sample sample : samples) {
          counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
              .labels(labels(def, sample)).value(sample.value()).build());
        }
        return counter.build();
      }
      GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(def.name()).help(def.help());
      for (Sample sample : samples) {
        gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
            .labels(labels(def, sample)).value(sample.value()).build());
      }
      return gauge.build();
    }

    private static Labels labels(MetricDef def, Sample sample) {
      if (def.labelNames().isEmpty()) {
        return Labels.EMPTY;
      }
      return Labels.of(def.labelNames(), sample.labelValues());
    }
  }
}

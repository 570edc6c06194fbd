package io.migrationexporter.metrics;

import static io.migrationexporter.collect.CoreFamilies.AUTH_FAILURES;
import static io.migrationexporter.collect.CoreFamilies.BUILD_INFO;
import static io.migrationexporter.collect.CoreFamilies.CHECK_EXPECTED;
import static io.migrationexporter.collect.CoreFamilies.CHECK_INFO;
import static io.migrationexporter.collect.CoreFamilies.CHECK_OBSERVED;
import static io.migrationexporter.collect.CoreFamilies.CHECK_STATUS;
import static io.migrationexporter.collect.CoreFamilies.CHECK_VALUE;
import static io.migrationexporter.collect.CoreFamilies.GATE_APPLIES;
import static io.migrationexporter.collect.CoreFamilies.GATE_BLOCKING;
import static io.migrationexporter.collect.CoreFamilies.GATE_OPEN;
import static io.migrationexporter.collect.CoreFamilies.MIGRATION_DONE;
import static io.migrationexporter.collect.CoreFamilies.MIGRATION_ETA;
import static io.migrationexporter.collect.CoreFamilies.MIGRATION_HEARTBEAT;
import static io.migrationexporter.collect.CoreFamilies.MIGRATION_PROGRESS;
import static io.migrationexporter.collect.CoreFamilies.MIGRATION_STATE;
import static io.migrationexporter.collect.CoreFamilies.MIGRATION_STATE_ENTERED;
import static io.migrationexporter.collect.CoreFamilies.MIGRATION_STEPS;
import static io.migrationexporter.collect.CoreFamilies.PHASE;
import static io.migrationexporter.collect.CoreFamilies.PHASE_ENTERED;
import static io.migrationexporter.collect.CoreFamilies.PROGRESS_KNOWN;
import static io.migrationexporter.collect.CoreFamilies.RELOAD_AT;
import static io.migrationexporter.collect.CoreFamilies.RELOAD_OK;
import static io.migrationexporter.collect.CoreFamilies.SOURCE_DURATION;
import static io.migrationexporter.collect.CoreFamilies.SOURCE_ERRORS;
import static io.migrationexporter.collect.CoreFamilies.SOURCE_REFRESHES;
import static io.migrationexporter.collect.CoreFamilies.SOURCE_STALE_AFTER;
import static io.migrationexporter.collect.CoreFamilies.SOURCE_SUCCESS_AT;
import static io.migrationexporter.collect.CoreFamilies.SOURCE_UP;
import static io.migrationexporter.collect.CoreFamilies.STEP_EXPECTED;
import static io.migrationexporter.collect.CoreFamilies.STEP_INDEX;
import static io.migrationexporter.collect.CoreFamilies.STEP_INFO;
import static io.migrationexporter.collect.CoreFamilies.STEP_PROGRESS;
import static io.migrationexporter.collect.CoreFamilies.STEP_STARTED;

import io.migrationexporter.app.Board;
import io.migrationexporter.app.BoardRenderings;
import io.migrationexporter.check.CheckResult;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.MetricFamilies;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.migration.MigrationState;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.web.AuthFailures;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * Only the declared families are served (the core's and the kinds'): a sample of any other is a
 * bug, logged once and left out rather than failing every scrape.
 */
public final class Exposition {
  private static final Logger LOG = Logger.getLogger(Exposition.class.getName());
  /**
   * How long a format asked once is rendered ahead for every new board: longer than any usual
   * scrape interval, short enough that one curl in another format costs little.
   */
  static final Duration RECENTLY = Duration.ofMinutes(5);

  private final String version;
  private final MetricFamilies declared;
  /** The families whose samples were refused, each logged once. */
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final BoardRenderings renderings = new BoardRenderings();
  /** The formats asked for, by key, with the board they were last asked of: at most 8 entries. */
  private final Map<String, Asked> asked = new ConcurrentHashMap<>();

  /** A format and encoding scrapers asked for, and the instant of the board they last got. */
  private record Asked(ExpositionFormatWriter writer, boolean gzip, Instant boardAt) {}

  /** @param declared the families the core and the kinds declare: the only ones served */
  public Exposition(String version, MetricFamilies declared) {
    this.version = version;
    this.declared = declared;
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
    Families families = new Families(declared, this::refuse);
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

  /** A sample of a family nobody declared is a bug of the exporter: said once, loudly. */
  private void refuse(MetricDef family) {
    if (refused.add(family.name())) {
      LOG.severe(() -> "bug: the samples of metric family " + family.name() + " are left out of"
          + " /metrics: " + declared.family(family.name())
              .map(known -> known.declarer() + " declares it with another type, help or labels")
              .orElse("no kind declares it"));
    }
  }

  private static void addMigration(Families families, MigrationStatus status, Instant now) {
    String name = status.migration().name();
    List<StepDefinition> steps = status.migration().steps();
    families.add(MIGRATION_STEPS, steps.size(), name);
    for (int i = 0; i < steps.size(); i++) {
      int index = i;
      // On the night's data: scaled from a rehearsal once the source read the table's size.
      status.stepExpected(i).ifPresent(expected ->
          families.add(STEP_EXPECTED, expected.toMillis() / 1e3, name, steps.get(index).name(),
              Integer.toString(index + 1)));
    }
    families.add(PROGRESS_KNOWN, status.known() ? 1 : 0, name);
    MigrationState state = status.state(now);
    for (MigrationState each : MigrationState.values()) {
      families.add(MIGRATION_STATE, each == state ? 1 : 0, name, each.label());
    }
    status.stateEnteredAt()
        .ifPresent(at -> families.add(MIGRATION_STATE_ENTERED, seconds(at), name));
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
    status.overallRatio().ifPresent(ratio -> families.add(MIGRATION_PROGRESS, ratio, name));
    status.eta(now).ifPresent(at -> families.add(MIGRATION_ETA, seconds(at), name));
    families.add(MIGRATION_DONE, progress.done() ? 1 : 0, name);
    progress.heartbeatAt().ifPresent(at -> families.add(MIGRATION_HEARTBEAT, seconds(at), name));
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
}

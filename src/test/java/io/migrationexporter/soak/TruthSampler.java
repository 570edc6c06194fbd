package io.migrationexporter.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The no-false-green rule, sampled once a second from outside as a dashboard would see it: no
 * check is ok (and no migration's progress is known) while its source is down or its data is older
 * than the source's staleness limit. Checked twice per sample, each view on its own: on
 * {@code /api/status} (a check's source, the source's state and the server's time in one answer)
 * and on a {@code /metrics} scrape ({@code migration_check_status} against
 * {@code migration_source_up}, {@code migration_source_last_success_timestamp_seconds} and
 * {@code migration_source_stale_after_seconds} of the same scrape, with the request's send time
 * as a lower bound of the time the exporter answered).
 */
final class TruthSampler {
  /** The exporter's boards turn stale within a millisecond; /api/status rounds to 0.1 s. */
  private static final double METRICS_SLACK_SECONDS = 0.005;
  private static final double STATUS_SLACK_SECONDS = 0.05;
  private static final String BUDGET = "2";

  private final TestExporter exporter;
  private final Findings findings;
  private final LongAdder samples = new LongAdder();
  private final LongAdder okVerified = new LongAdder();
  private final LongAdder notOkWhileDown = new LongAdder();

  TruthSampler(TestExporter exporter, Findings findings) {
    this.exporter = exporter;
    this.findings = findings;
  }

  void sample() {
    try {
      JsonNode status = exporter.json("/api/status", 200, "X-Prometheus-Scrape-Timeout-Seconds",
          BUDGET);
      Map<String, String> sourceOfCheck = new HashMap<>();
      status.path("checks").forEach(check -> sourceOfCheck.put(check.path("name").asText(),
          check.path("source").asText()));
      Map<String, String> sourceOfMigration = new HashMap<>();
      status.path("migrations").forEach(m -> sourceOfMigration.put(m.path("name").asText(),
          m.path("source").asText()));
      verifyStatus(status);
      Instant sent = Instant.now();
      Scrape scrape = exporter.scrape("X-Prometheus-Scrape-Timeout-Seconds", BUDGET);
      verifyScrape(scrape, sent, sourceOfCheck, sourceOfMigration);
      samples.increment();
    } catch (RuntimeException | AssertionError e) {
      findings.add("sample-failed", e.toString());
    }
  }

  private void verifyStatus(JsonNode status) {
    Instant now = Instant.parse(status.path("now").asText());
    Map<String, JsonNode> sources = new HashMap<>();
    status.path("sources").forEach(source -> sources.put(source.path("id").asText(), source));
    for (JsonNode check : status.path("checks")) {
      String source = check.path("source").asText();
      boolean ok = check.path("state").asText().equals("ok");
      Optional<String> why = whyNotFresh(sources.get(source), now);
      if (ok && why.isPresent()) {
        findings.add("false-green", "/api/status: check " + check.path("name").asText()
            + " ok while " + source + " " + why.get());
      }
      if (!ok && why.isPresent()) {
        notOkWhileDown.increment();
      }
      if (ok) {
        okVerified.increment();
      }
    }
    for (JsonNode migration : status.path("migrations")) {
      String source = migration.path("source").asText();
      Optional<String> why = whyNotFresh(sources.get(source), now);
      if (migration.path("known").asBoolean() && why.isPresent()) {
        findings.add("false-green", "/api/status: migration " + migration.path("name").asText()
            + " known while " + source + " " + why.get());
      }
    }
  }

  private static Optional<String> whyNotFresh(JsonNode source, Instant now) {
    if (source == null) {
      return Optional.of("is missing");
    }
    if (!source.path("up").asBoolean()) {
      return Optional.of("is down");
    }
    Instant last = Instant.parse(source.path("last_success_at").asText());
    double age = Duration.between(last, now).toNanos() / 1e9;
    double staleAfter = source.path("stale_after_seconds").asDouble();
    return age > staleAfter + STATUS_SLACK_SECONDS
        ? Optional.of("has data " + age + " s old (stale after " + staleAfter + " s)")
        : Optional.empty();
  }

  private void verifyScrape(Scrape scrape, Instant sent, Map<String, String> sourceOfCheck,
      Map<String, String> sourceOfMigration) {
    double sentSeconds = sent.toEpochMilli() / 1e3;
    for (Scrape.Series status : scrape.series("migration_check_status")) {
      if (status.value() != 1) {
        continue;
      }
      String check = status.labels().get("check");
      String source = sourceOfCheck.get(check);
      if (source == null) {
        continue; // a reload added it between the two requests: the next sample has it
      }
      whyNotFresh(scrape, source, sentSeconds).ifPresent(why -> findings.add("false-green",
          "/metrics: check " + check + " ok while " + source + " " + why));
    }
    for (Scrape.Series known : scrape.series("migration_progress_known")) {
      String migration = known.labels().get("migration");
      String source = sourceOfMigration.get(migration);
      if (known.value() == 1 && source != null) {
        whyNotFresh(scrape, source, sentSeconds).ifPresent(why -> findings.add("false-green",
            "/metrics: migration " + migration + " known while " + source + " " + why));
      }
    }
  }

  private static Optional<String> whyNotFresh(Scrape scrape, String source, double nowSeconds) {
    if (scrape.value("migration_source_up", "source", source).orElse(0.0) != 1) {
      return Optional.of("is down");
    }
    Optional<Double> last = scrape.value("migration_source_last_success_timestamp_seconds",
        "source", source);
    double staleAfter = scrape.get("migration_source_stale_after_seconds", "source", source);
    if (last.isEmpty()) {
      return Optional.of("has no last success");
    }
    double age = nowSeconds - last.get();
    return age > staleAfter + METRICS_SLACK_SECONDS
        ? Optional.of("has data " + age + " s old (stale after " + staleAfter + " s)")
        : Optional.empty();
  }

  long samples() {
    return samples.sum();
  }

  /** Check states that were ok and checked against their source. */
  long okVerified() {
    return okVerified.sum();
  }

  /** Check states that were not ok while their source was down or stale: the faults showed. */
  long notOkWhileDown() {
    return notOkWhileDown.sum();
  }
}

package io.migrationexporter.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.testing.TestExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Someone at the keyboard during the night: configuration reloads, valid and invalid, over
 * {@code POST /-/reload} and the Runtime API, and phase changes over {@code PUT /api/phase}. A
 * valid file must be taken, one that changes the checks too; an invalid one must be refused with
 * one clear line per problem naming file, line and key, the previous configuration staying in
 * force; {@code migration_exporter_config_last_reload_successful} must say which happened.
 */
final class Reloads {
  /** A problem as the loader words it: {@code /dir/exporter.conf:12: checks.x.http.timout: ...}. */
  private static final Pattern PROBLEM = Pattern.compile(
      "(.*/)?" + Pattern.quote(TestExporter.CONFIG_NAME) + ":\\d+: .+");

  private final TestExporter exporter;
  private final SoakWorld world;
  private final Findings findings;
  private int step;
  /** Whether the configuration in force has {@link SoakWorld#EXTRA_CHECK}. */
  private boolean extraInForce;
  private int accepted;
  private int refused;
  private boolean maintenance;

  Reloads(TestExporter exporter, SoakWorld world, Findings findings) {
    this.exporter = exporter;
    this.world = world;
    this.findings = findings;
  }

  /** The next reload of the round; called every few seconds. */
  void next() {
    try {
      switch (step++ % 6) {
        case 0 -> expectAccepted("POST, unchanged", overHttp(world.config(false)), false);
        case 1 -> expectRefused("POST, unknown key", overHttp(world.config(false)
            + "\nchecks.flap-1.http.timout = 2s\n"), "checks.flap-1.http.timout");
        case 2 -> expectAccepted("Runtime API, one more check", overRuntime(world.config(true)),
            true);
        case 3 -> expectRefused("Runtime API, broken syntax", overRuntime(world.config(true)
            + "\nchecks { broken {\n"), null);
        case 4 -> expectAccepted("POST, the check removed again", overHttp(world.config(false)),
            false);
        default -> expectRefused("POST, a check on an undeclared app", overHttp(world.config(false)
            + "\nchecks.stray { app = nowhere, tcp { address = \"127.0.0.1:1\" } }\n"),
            "checks.stray.app");
      }
    } catch (RuntimeException | AssertionError e) {
      findings.add("reload", e.toString());
    } finally {
      restoreValidFile();
    }
  }

  /** Switches between preparation (apps open) and maintenance (apps closed). */
  void flipPhase() {
    maintenance = !maintenance;
    String phase = maintenance ? "maintenance" : "preparation";
    try {
      HttpResponse<String> answer = exporter.put("/api/phase", "{\"phase\": \"" + phase
          + "\", \"actor\": \"soak\"}", "Authorization", "Bearer " + SoakWorld.ADMIN_TOKEN);
      if (answer.statusCode() != 200) {
        findings.add("phase", "PUT /api/phase " + phase + " answered " + answer.statusCode());
      }
    } catch (RuntimeException e) {
      findings.add("phase", e.toString());
    }
  }

  private List<String> overHttp(String config) {
    rewrite(config);
    HttpResponse<String> answer = exporter.send(exporter.request("/-/reload")
        .header("X-Admin-Token", SoakWorld.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
    JsonNode body = TestExporter.parse(answer.body());
    List<String> problems = new ArrayList<>();
    for (JsonNode problem : body.path("problems")) {
      problems.add(problem.asText());
    }
    String status = body.path("status").asText();
    boolean consistent = problems.isEmpty()
        ? answer.statusCode() == 200 && status.equals("reloaded")
        : answer.statusCode() == 400 && status.equals("refused");
    if (!consistent) {
      findings.add("reload", "POST /-/reload answered " + answer.statusCode() + ": "
          + answer.body());
    }
    return problems;
  }

  private List<String> overRuntime(String config) {
    rewrite(config);
    return exporter.exporter().runtime().reload();
  }

  /** An accepted reload: {@code extraCheck} tells whether the new file has the extra check. */
  private void expectAccepted(String what, List<String> problems, boolean extraCheck) {
    if (!problems.isEmpty()) {
      findings.add("reload", what + " was refused: " + problems);
      return;
    }
    accepted++;
    extraInForce = extraCheck;
    expectInForce(what, 1);
  }

  /** A refusal, each problem one line naming file and line, and {@code key} when there is one. */
  private void expectRefused(String what, List<String> problems, String key) {
    if (problems.isEmpty()) {
      findings.add("reload", what + " was accepted");
      return;
    }
    refused++;
    for (String problem : problems) {
      if (!PROBLEM.matcher(problem).matches() || problem.contains("Exception")
          || problem.contains("\tat ")) {
        findings.add("reload", what + ": not one clear line naming file and line: " + problem);
      }
    }
    if (key != null && problems.stream().noneMatch(p -> p.contains(": " + key + ": "))) {
      findings.add("reload", what + ": no problem names " + key + ": " + problems);
    }
    expectInForce(what, 0);
  }

  /**
   * The configuration in force is the last accepted one, and
   * {@code migration_exporter_config_last_reload_successful} is {@code reloadMetric}.
   */
  private void expectInForce(String what, double reloadMetric) {
    boolean extraCheck = exporter.exporter().runtime().plan().checks().stream()
        .anyMatch(check -> check.name().equals(SoakWorld.EXTRA_CHECK));
    if (extraCheck != extraInForce) {
      findings.add("reload", what + ": the configuration in force " + (extraCheck ? "has" : "lacks")
          + " the check " + SoakWorld.EXTRA_CHECK);
    }
    double shown = exporter.scrape("X-Prometheus-Scrape-Timeout-Seconds", "2")
        .get("migration_exporter_config_last_reload_successful");
    if (shown != reloadMetric) {
      findings.add("reload", what + ": migration_exporter_config_last_reload_successful is "
          + shown + ", expected " + reloadMetric);
    }
  }

  /** Between two reloads the file on disk is the configuration in force. */
  private void restoreValidFile() {
    rewrite(world.config(extraInForce));
  }

  private void rewrite(String config) {
    try {
      exporter.rewrite(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int accepted() {
    return accepted;
  }

  int refused() {
    return refused;
  }
}

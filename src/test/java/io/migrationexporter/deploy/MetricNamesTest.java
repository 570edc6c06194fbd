package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.app.Modules;
import io.migrationexporter.collect.MetricFamilies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md is the single reference for metric names: every name the dashboards, rules
 * and rule tests use is listed there, and is either served by the exporter (a family the core or
 * a kind declares), recorded by prometheus/rules, or one of Prometheus' own series.
 */
class MetricNamesTest {
  private static final Pattern EXPORTER_NAME = Pattern.compile("\\bmigration_[a-z0-9_]*[a-z0-9]");
  private static final Pattern RECORDED_NAME = Pattern.compile("\\bmigration:[a-z0-9_:]*[a-z0-9]");
  /** Series Prometheus itself writes, as used in PromQL: followed by a selector. */
  private static final Pattern PROMETHEUS_SERIES =
      Pattern.compile("\\b(up|ALERTS|ALERTS_FOR_STATE|scrape_[a-z_]+)(?=\\{)");

  @Test
  void everyNameUsedIsDocumentedAndServed() throws Exception {
    Set<String> docs = documentedNames();
    Set<String> served = servedNames();
    Set<String> recorded = new TreeSet<>();
    for (Path rules : files("prometheus/rules", ".yml")) {
      recorded.addAll(Yaml.recordedNames(rules));
    }
    assertThat(served).contains("migration_check_status", "migration_source_errors_total");
    // the shared contract other branches' rules and dashboards rely on
    assertThat(served).contains("migration_gate_applies", "migration_check_info");

    List<Path> used = new ArrayList<>(Dashboards.files());
    used.addAll(files("prometheus/rules", ".yml"));
    used.addAll(files("prometheus/tests", ".yml"));
    int names = 0;
    for (Path file : used) {
      String text = Files.readString(file);
      for (String name : matches(EXPORTER_NAME, text)) {
        names++;
        assertThat(docs).as(file.getFileName() + " uses " + name + ", missing from docs/metrics.md")
            .contains(name);
        assertThat(served).as(file.getFileName() + " uses " + name
            + ", which neither the core nor any kind declares").contains(name);
      }
      for (String name : matches(RECORDED_NAME, text)) {
        names++;
        assertThat(recorded).as(file.getFileName() + " uses " + name
            + ", which no rule of prometheus/rules records").contains(name);
        assertThat(docs).as(name + " missing from docs/metrics.md").contains(name);
      }
      for (String name : matches(PROMETHEUS_SERIES, text)) {
        assertThat(docs).as(file.getFileName() + " uses Prometheus' " + name
            + ", missing from docs/metrics.md").contains(name);
      }
    }
    assertThat(names).isGreaterThan(50);
  }

  @Test
  void everyRecordedNameIsDocumented() throws Exception {
    Set<String> docs = documentedNames();
    for (Path rules : files("prometheus/rules", ".yml")) {
      assertThat(docs).containsAll(Yaml.recordedNames(rules));
    }
  }

  /** The names docs/metrics.md lists, each written `like_this`. */
  private static Set<String> documentedNames() throws IOException {
    return matches(Pattern.compile("`([a-zA-Z_:][a-zA-Z0-9_:]*)`"),
        Files.readString(Project.file("docs/metrics.md")));
  }

  /**
   * The names of every family the core and the kinds declare (counters with the {@code _total}
   * the exposition adds): what the exporter can serve.
   */
  private static Set<String> servedNames() {
    Set<String> names = new TreeSet<>();
    for (MetricFamilies.Declared declared : Modules.loader().families().all()) {
      names.add(declared.family().servedName());
    }
    return names;
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(matcher.groupCount() > 0 ? 1 : 0));
    }
    return found;
  }

  private static List<Path> files(String dir, String suffix) throws IOException {
    try (Stream<Path> paths = Files.list(Project.file(dir))) {
      return paths.filter(path -> path.toString().endsWith(suffix)).sorted().toList();
    }
  }
}

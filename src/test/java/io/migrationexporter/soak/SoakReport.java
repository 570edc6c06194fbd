package io.migrationexporter.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The soak's figures as a Markdown section for bench/RESULTS.md, written to target/. */
final class SoakReport {
  private final StringBuilder rows = new StringBuilder();
  private final Instant startedAt;
  private final Duration duration;

  SoakReport(Instant startedAt, Duration duration) {
    this.startedAt = startedAt;
    this.duration = duration;
  }

  SoakReport row(String figure, String value) {
    rows.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    return this;
  }

  SoakReport resources(Resources.Window first, Resources.Window last) {
    row("threads beside the soak's own (most in the first / last window)", first.maxThreads()
        + " / " + last.maxThreads());
    row("threads of the JVM (most)", first.maxAllThreads() + " / " + last.maxAllThreads());
    row("file descriptors beside selectors and pipes (median, most)", first.medianFds() + ", "
        + first.maxFds() + " / " + last.medianFds() + ", " + last.maxFds());
    row("PostgreSQL sessions of the exporter (most)", first.maxPgSessions() + " / "
        + last.maxPgSessions());
    row("heap after full GC (least)", Resources.mib(first.minHeapAfterGc()) + " / "
        + Resources.mib(last.minHeapAfterGc()));
    row("thread names grown (every thread)", Resources.grown(first.threadGroups(),
        last.threadGroups()).toString());
    row("descriptor kinds grown", Resources.grown(first.fdKinds(), last.fdKinds()).toString());
    return this;
  }

  SoakReport recoveries(List<Recoveries.Recovery> all) {
    Map<String, List<Recoveries.Recovery>> bySource = all.stream().collect(
        Collectors.groupingBy(Recoveries.Recovery::source, TreeMap::new, Collectors.toList()));
    long late = all.stream().filter(r -> !r.inTime()).count();
    row("recoveries after a fault cleared", all.size() + ", " + late + " late");
    bySource.forEach((source, list) -> {
      Recoveries.Recovery slowest = list.stream()
          .max(Comparator.comparing(Recoveries.Recovery::latency)).orElseThrow();
      row("&nbsp;&nbsp;" + source, list.size() + ", slowest " + slowest.latency().toMillis()
          + " ms after " + slowest.fault() + " (bound " + slowest.bound().toMillis() + " ms)");
    });
    return this;
  }

  String markdown() {
    String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
        .format(startedAt);
    return "### " + date + " — soak of " + duration.toMinutes() + " min "
        + duration.toSecondsPart() + " s\n\n"
        + "Machine: " + machine() + "\n\n"
        + "| figure | value |\n|---|---|\n" + rows;
  }

  private static String machine() {
    int cores = java.lang.Runtime.getRuntime().availableProcessors();
    String cpu = firstLine(Path.of("/proc/cpuinfo"), "model name").replaceFirst(".*:\\s*", "");
    String memory = firstLine(Path.of("/proc/meminfo"), "MemTotal").replaceAll("\\D+", "");
    String load = firstLine(Path.of("/proc/loadavg"), "");
    return cores + " cores, " + cpu + ", "
        + (memory.isEmpty() ? "?" : Long.parseLong(memory) / (1024 * 1024)) + " GiB; Java "
        + System.getProperty("java.version") + "; load average at the end "
        + String.join(" ", List.of(load.split(" ")).subList(0, Math.min(3, load.split(" ").length)))
        + "; JVM max heap " + Resources.mib(
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
  }

  private static String firstLine(Path file, String prefix) {
    try {
      return Files.readAllLines(file).stream().filter(line -> line.startsWith(prefix)).findFirst()
          .orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, markdown(), StandardCharsets.UTF_8);
  }
}

package io.migrationexporter.cli;

import io.migrationexporter.app.Modules;
import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.Plan;
import io.migrationexporter.event.Event;
import io.migrationexporter.event.JournalFile;
import io.migrationexporter.report.Night;
import io.migrationexporter.report.NightPlan;
import io.migrationexporter.report.NightReport;
import io.migrationexporter.report.PrometheusAlerts;
import io.migrationexporter.report.ReportExpectations;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code report}: the morning-after report of a night, from the exporter's journal. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Write the report of a night from the exporter's journal: night-report.html"
        + " (self-contained, printable), night-report.md and night-report.json.",
        "It tells the phases, a timeline of every check, gate and migration step, the downtime"
            + " as users saw it, the time waited on the gate and the checks that blocked it,"
            + " each step's expected and actual duration, and the incidents.",
        "Exit status: 0 written, 1 no journal or nothing in it to tell, 2 bad options or"
            + " configuration."})
final class ReportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "The exporter's configuration:"
      + " it names the journal, and gives the apps, titles, gates and expected durations.")
  Path config;

  @Option(names = "--journal", paramLabel = "FILE", description = "The journal file (its rotated"
      + " files FILE.1, FILE.2... are read too), instead of the one the configuration names.")
  Path journal;

  @Option(names = "--from", paramLabel = "TIME", converter = TimeConverter.class,
      description = "Start of the window, ISO-8601 with its offset, such as"
          + " 2026-12-05T01:30:00Z (default: the first event of the journal).")
  Instant from;

  @Option(names = "--to", paramLabel = "TIME", converter = TimeConverter.class,
      description = "End of the window (default: the last event of the journal).")
  Instant to;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = ".",
      description = "Directory to write the three files into (default: the current one).")
  Path output;

  @Option(names = "--expectations", paramLabel = "FILE", description = "Also write each step's"
      + " measured duration to FILE, a HOCON fragment that a configuration includes to expect"
      + " them (a rehearsal's figures for the production night). Needs --config.")
  Path expectations;

  @Option(names = "--prometheus", paramLabel = "URL", converter = HttpUrlConverter.class,
      description = "Also tell the alerts that fired in the window, from this Prometheus's"
          + " ALERTS series, such as http://127.0.0.1:9090 (http://user:password@host:9090 for"
          + " basic auth). If it cannot be read, the report says so.")
  URI prometheus;

  @Option(names = "--prometheus-token-file", paramLabel = "FILE", description = "A file holding"
      + " the bearer token --prometheus asks for (a proxy in front of it, a managed Prometheus).")
  Path prometheusTokenFile;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (config == null && journal == null) {
      err.println("migration-exporter report: give --config FILE (the journal it names) or"
          + " --journal FILE");
      return 2;
    }
    if (expectations != null && config == null) {
      err.println("migration-exporter report: --expectations needs --config FILE: the steps'"
          + " names are in the configuration");
      return 2;
    }
    Optional<String> prometheusToken = Optional.empty();
    if (prometheusTokenFile != null) {
      if (prometheus == null) {
        err.println("migration-exporter report: --prometheus-token-file goes with --prometheus"
            + " URL");
        return 2;
      }
      try {
        prometheusToken = Optional.of(Files.readString(prometheusTokenFile).strip());
      } catch (IOException e) {
        err.println("migration-exporter report: --prometheus-token-file " + prometheusTokenFile
            + " cannot be read" + (Files.exists(prometheusTokenFile) ? "" : ": it does not exist"));
        return 2;
      }
    }
    NightPlan plan;
    Path journalFile = journal;
    if (config != null) {
      Plan loaded;
      try {
        loaded = Modules.loader().load(config);
      } catch (ConfigException e) {
        err.println(e.getMessage());
        err.println("migration-exporter report: " + config + " is invalid");
        return 2;
      }
      plan = NightPlan.of(loaded);
      if (journalFile == null) {
        Optional<Path> named = loaded.journalFile().file();
        if (named.isEmpty()) {
          err.println("migration-exporter report: " + config + " keeps no journal"
              + " (events.journal = off): give --journal FILE");
          return 1;
        }
        journalFile = named.get();
      }
    } else {
      plan = NightPlan.empty();
    }
    if (!Files.isRegularFile(journalFile)) {
      err.println("migration-exporter report: journal " + journalFile + " does not exist"
          + (Files.exists(journalFile) ? " as a file" : "") + " (the exporter writes it while it"
          + " runs, see events.journal-file)");
      return 1;
    }
    if (!Files.isReadable(journalFile)) {
      err.println("migration-exporter report: journal " + journalFile + " is not readable");
      return 1;
    }
    List<Event> events = JournalFile.readAll(journalFile);
    Night night;
    try {
      night = NightReport.night(events, plan, Optional.ofNullable(from), Optional.ofNullable(to));
    } catch (IllegalArgumentException e) {
      err.println("migration-exporter report: " + journalFile + ": " + e.getMessage());
      return 1;
    }
    if (prometheus != null) {
      night = night.withAlerts(PrometheusAlerts.read(prometheus, prometheusToken,
          night.from(), night.to()));
      night.alerts().unread().ifPresent(why -> err.println("migration-exporter report: warning:"
          + " the night's alerts " + why));
    }
    PrintWriter out = spec.commandLine().getOut();
    Path writing = output;
    try {
      List<Path> written = NightReport.write(night, output);
      out.println("the report of the night from " + night.from() + " to " + night.to() + ":");
      written.forEach(path -> out.println("  " + path));
      if (expectations != null) {
        writing = expectations;
        Files.writeString(expectations, ReportExpectations.render(night, "the journal "
            + journalFile), StandardCharsets.UTF_8);
        out.println("the steps' measured durations, for a configuration to include:");
        out.println("  " + expectations);
      }
    } catch (IOException e) {
      err.println("migration-exporter report: cannot write " + writing + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return 1;
    } finally {
      out.flush();
    }
    return 0;
  }

  /** An http or https URL. */
  static final class HttpUrlConverter implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      try {
        URI uri = new URI(value);
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null) {
          return uri;
        }
      } catch (URISyntaxException e) {
        // told below, without the value: it may hold a password
      }
      throw new picocli.CommandLine.TypeConversionException("not an http or https URL such as"
          + " http://127.0.0.1:9090");
    }
  }

  /** An ISO-8601 date and time with its offset or Z. */
  static final class TimeConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a date and"
            + " time such as 2026-12-05T01:30:00Z or 2026-12-05T02:30:00+01:00");
      }
    }
  }
}

package io.migrationexporter.cli;

import io.migrationexporter.app.Modules;
import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.check.GateDefinition;
import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.config.AppDefinition;
import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.config.Plan;
import io.migrationexporter.config.Redactor;
import io.migrationexporter.web.WebConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Validates a configuration and prints the plan it resolves to, secrets redacted. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
    description = {"Validate a configuration file and print the resolved plan.",
        "The plan lists the phases, apps, checks, sources with their poll intervals, gates, and"
            + " the web configuration file (TLS, basic auth) when there is one. Secrets are never"
            + " printed.",
        "Exit status: 0 valid, 2 invalid (one line per problem: file:line: key: what)."})
final class CheckConfigCommand implements Callable<Integer> {
  private final ConfigLoader loader;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The configuration file to check.")
  Path file;

  @Option(names = "--web.config.file", paramLabel = "FILE",
      description = "Check this web configuration file instead of server.web-config-file.")
  Path webConfigFile;

  CheckConfigCommand() {
    this(Modules.loader());
  }

  /** With the kinds {@code loader} knows: a test adds its own. */
  CheckConfigCommand(ConfigLoader loader) {
    this.loader = loader;
  }

  @Override
  public Integer call() {
    Plan plan;
    try {
      plan = loader.load(file);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      spec.commandLine().getErr().println("migration-exporter: " + file + " is invalid ("
          + e.problems().size() + (e.problems().size() == 1 ? " problem)" : " problems)"));
      return 2;
    }
    Optional<Path> webFile = WebConfig.chosen(webConfigFile, plan.server());
    WebConfig web;
    try {
      web = WebConfig.load(webFile);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      spec.commandLine().getErr().println("migration-exporter: " + webFile.get() + " is invalid ("
          + e.problems().size() + (e.problems().size() == 1 ? " problem)" : " problems)"));
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(Redactor.redact(describe(plan, web)));
    out.flush();
    return 0;
  }

  static String describe(Plan plan, WebConfig web) {
    StringBuilder out = new StringBuilder();
    out.append("configuration ").append(plan.file()).append(" is valid\n\n");
    out.append("server: listen ").append(plan.server().host()).append(':')
        .append(plan.server().port()).append(", admin token ")
        .append(plan.server().adminToken().map(t -> "set (" + t.origin() + ")")
            .orElse("not set: phase changes over HTTP are switched off"))
        .append(", reloads over HTTP ").append(plan.server().enableLifecycle()
            ? "open (server.enable-lifecycle)" : plan.server().adminToken().isPresent()
                ? "with the admin token" : "switched off")
        .append(", scrape deadline ").append(Durations.format(plan.server().defaultScrapeTimeout()))
        .append(" less ").append(Durations.format(plan.server().scrapeTimeoutOffset())).append('\n');
    out.append("web: ").append(web.describe()).append('\n');
    out.append("phases: ").append(String.join(" > ", plan.phases().order()))
        .append(plan.phases().current()
            .map(current -> " (current " + current.phase() + ", set by the configuration")
            .orElse(" (initial " + plan.phases().initial()))
        .append(", state file ").append(plan.phases().stateFile()).append(")\n");

    out.append("\napps (").append(plan.apps().size()).append("):\n");
    for (AppDefinition app : plan.apps().values()) {
      out.append("  ").append(app.name()).append(": ").append(app.title()).append('\n');
    }

    List<String> order = plan.phases().order();
    out.append("\nchecks (").append(plan.checks().size()).append("):\n");
    for (CheckDefinition check : plan.checks()) {
      out.append("  ").append(check.name()).append(" [").append(check.kind()).append(", group ")
          .append(check.group()).append(check.app().isEmpty() ? "" : ", app " + check.app())
          .append("] ").append(check.title()).append('\n')
          .append("      closed in ").append(inOrder(check.closedPhases(), order))
          .append(", open in ").append(inOrder(check.openPhases(), order))
          .append(", reads ").append(check.sourceId()).append('\n');
    }

    out.append("\nsources (").append(plan.sources().size()).append("):\n");
    for (SourceDefinition source : plan.sources()) {
      out.append("  ").append(source.id()).append(": every ")
          .append(Durations.format(source.schedule().minInterval())).append(" at most, stale after ")
          .append(Durations.format(source.schedule().staleAfter())).append(", refresh limit ")
          .append(Durations.format(source.schedule().refreshTimeout())).append('\n')
          .append("      ").append(source.describe()).append('\n');
    }

    out.append("\ngates (").append(plan.gates().size()).append("):\n");
    for (GateDefinition gate : plan.gates()) {
      long selected = plan.checks().stream().filter(gate::selects).count();
      out.append("  ").append(gate.name()).append(": open when its ").append(selected)
          .append(" checks (groups ").append(gate.groups().isEmpty() ? "none" : String.join(", ",
              gate.groups().stream().sorted().toList()))
          .append(gate.checks().isEmpty() ? "" : "; checks " + String.join(", ",
              gate.checks().stream().sorted().toList()))
          .append(") are ok in phase ").append(gate.phase()).append('\n');
    }
    return out.toString();
  }

  private static String inOrder(java.util.Set<String> phases, List<String> order) {
    List<String> listed = order.stream().filter(phases::contains).toList();
    return listed.isEmpty() ? "no phase" : String.join(", ", listed);
  }
}

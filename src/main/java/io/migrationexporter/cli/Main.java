package io.migrationexporter.cli;

import io.migrationexporter.app.Version;
import io.migrationexporter.config.Redactor;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code java -jar migration-exporter.jar [--config FILE | COMMAND]}. */
@Command(name = "migration-exporter", mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
        "Prometheus exporter for planned maintenance windows and long database migrations: is"
            + " every app closed, every container stopped, monitoring paused, no stray connection"
            + " left, where is the migration, and later, is everything back?",
        "",
        "Run the exporter with --config FILE, or use one of the commands below."},
    subcommands = {CheckConfigCommand.class, PhaseCommand.class, ReportCommand.class,
        CommandLine.HelpCommand.class})
public final class Main extends RunCommand {
  public static void main(String[] args) {
    commonPoolOfAtLeastTwo();
    System.exit(run(args));
  }

  /**
   * On one or two CPUs the common pool has fewer than two threads, and CompletableFuture then runs
   * every default-executor stage on a new thread. The JDK HTTP client completes each sendAsync in
   * such a stage: 1000 HTTP checks started 2000 short-lived threads per refresh, which cost
   * startup time and malloc arenas. Two pool threads serve those stages instead. Set before any
   * CompletableFuture is used; an explicit -D setting wins.
   */
  private static void commonPoolOfAtLeastTwo() {
    String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(key) == null && java.lang.Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(key, "2");
    }
  }

  /** Runs the command line and returns the exit status (0 ok, 1 failure, 2 usage or config error). */
  public static int run(String... args) {
    return run(commandLine(), args);
  }

  /** The same, writing to {@code out} and {@code err} instead of the process's streams (tests). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(commandLine().setOut(out).setErr(err), args);
  }

  /** The whole command line, extensions (the demo) included. */
  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new Main());
    for (CommandExtension extension : ServiceLoader.load(CommandExtension.class)) {
      line.addSubcommand(extension.command());
    }
    return line;
  }

  private static int run(CommandLine line, String... args) {
    line.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
      // A bare message can be null or quote a credential: fall back to the type, and redact.
      String message = error.getMessage() == null ? error.getClass().getSimpleName()
          : error.getMessage();
      commandLine.getErr().println("migration-exporter: " + Redactor.redact(message));
      return 1;
    });
    return line.execute(args);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"migration-exporter " + Version.get(),
          "Java " + System.getProperty("java.version")};
    }
  }
}

package io.migrationexporter.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that cannot be used, with every problem found in it. */
public final class ConfigException extends Exception {
  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")), null,
        false, false);
    this.problems = List.copyOf(problems);
  }

  public ConfigException(ConfigProblem problem) {
    this(List.of(problem));
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}

package io.migrationexporter.source.postgres;

import io.migrationexporter.config.RehearsalProfile;
import java.util.List;
import java.util.Optional;

/**
 * How the source recognises the steps of one migration (part of the source's definition, so it
 * holds text, not compiled patterns, and compares by value).
 *
 * @param stepNames the steps' names, in order
 * @param stepRegexes per step, the regular expression its statement matches, if any
 * @param progressQuery SQL returning the current step's name (column 1) and optionally whether it
 *     finished (a boolean column named {@code done}) and when it started ({@code started_at})
 * @param doneQuery SQL returning true once the migration finished, which then decides alone
 * @param stepDoneWhen per step, SQL returning true once the step took effect, if any
 * @param stepProfiles per step, the time profile a rehearsal measured, if one is configured
 * @param stepTables per step, the table the rehearsal's step rewrote, if it said: its size is
 *     read before the step starts, so its expected duration is scaled from the start of the night
 */
record MigrationWatch(String name, List<String> stepNames, List<Optional<String>> stepRegexes,
    Optional<String> progressQuery, Optional<String> doneQuery,
    List<Optional<String>> stepDoneWhen, List<Optional<RehearsalProfile>> stepProfiles,
    List<Optional<String>> stepTables) {
  MigrationWatch {
    stepProfiles = List.copyOf(stepProfiles);
    stepTables = List.copyOf(stepTables);
    stepNames = List.copyOf(stepNames);
    stepRegexes = List.copyOf(stepRegexes);
    stepDoneWhen = List.copyOf(stepDoneWhen);
    if (stepDoneWhen.size() != stepNames.size()) {
      throw new IllegalArgumentException("done-when of " + stepDoneWhen.size() + " steps for "
          + stepNames.size());
    }
    if (stepProfiles.size() != stepNames.size() || stepTables.size() != stepNames.size()) {
      throw new IllegalArgumentException("profiles and tables of " + stepProfiles.size() + " and "
          + stepTables.size() + " steps for " + stepNames.size());
    }
  }

  /** A migration whose steps' tables are known only once they start. */
  MigrationWatch(String name, List<String> stepNames, List<Optional<String>> stepRegexes,
      Optional<String> progressQuery, Optional<String> doneQuery,
      List<Optional<String>> stepDoneWhen, List<Optional<RehearsalProfile>> stepProfiles) {
    this(name, stepNames, stepRegexes, progressQuery, doneQuery, stepDoneWhen, stepProfiles,
        stepNames.stream().map(step -> Optional.<String>empty()).toList());
  }

  /** A migration whose steps have no rehearsed profile. */
  MigrationWatch(String name, List<String> stepNames, List<Optional<String>> stepRegexes,
      Optional<String> progressQuery, Optional<String> doneQuery,
      List<Optional<String>> stepDoneWhen) {
    this(name, stepNames, stepRegexes, progressQuery, doneQuery, stepDoneWhen,
        stepNames.stream().map(step -> Optional.<RehearsalProfile>empty()).toList());
  }

  /** A migration whose steps have no done-when query. */
  MigrationWatch(String name, List<String> stepNames, List<Optional<String>> stepRegexes,
      Optional<String> progressQuery, Optional<String> doneQuery) {
    this(name, stepNames, stepRegexes, progressQuery, doneQuery,
        stepNames.stream().map(step -> Optional.<String>empty()).toList());
  }

  /** How step {@code step} is recognised and checked. */
  record Step(Optional<String> regex, Optional<String> doneWhen) {}
}

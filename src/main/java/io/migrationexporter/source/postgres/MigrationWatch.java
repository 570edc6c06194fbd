package io.migrationexporter.source.postgres;

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
 */
record MigrationWatch(String name, List<String> stepNames, List<Optional<String>> stepRegexes,
    Optional<String> progressQuery, Optional<String> doneQuery) {
  MigrationWatch {
    stepNames = List.copyOf(stepNames);
    stepRegexes = List.copyOf(stepRegexes);
  }
}

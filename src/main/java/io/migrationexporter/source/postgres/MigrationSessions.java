package io.migrationexporter.source.postgres;

import java.util.List;

/**
 * Which sessions are the migration's: those whose application name or user is listed. They are
 * counted apart from the other connections, and a migration's steps are recognised in them.
 * With both lists empty, no session counts as the migration's and steps are recognised in every
 * client session.
 */
record MigrationSessions(List<String> applicationNames, List<String> users) {
  MigrationSessions {
    applicationNames = List.copyOf(applicationNames);
    users = List.copyOf(users);
  }

  boolean configured() {
    return !applicationNames.isEmpty() || !users.isEmpty();
  }

  boolean matches(Backend backend) {
    return applicationNames.contains(backend.applicationName()) || users.contains(backend.user());
  }
}

package io.migrationexporter.demo;

import io.migrationexporter.cli.CommandExtension;

/** Adds the {@code demo} command to the command line of builds that include the demo. */
public final class DemoExtension implements CommandExtension {
  @Override
  public Object command() {
    return new DemoCommand();
  }
}

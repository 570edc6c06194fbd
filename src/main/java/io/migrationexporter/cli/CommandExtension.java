package io.migrationexporter.cli;

/**
 * A command that ships apart from the exporter (the demo). Found through
 * {@link java.util.ServiceLoader}, so the exporter never refers to it and a build without it
 * simply has no such command.
 */
public interface CommandExtension {
  /** The picocli-annotated command object. */
  Object command();
}

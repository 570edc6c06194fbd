package io.migrationexporter.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the events are kept on disk ({@code events.journal*}).
 *
 * @param file the journal file; empty when {@code events.journal = off}
 * @param maxBytes the size past which the file is rotated
 * @param files how many files are kept, the current one included
 */
public record JournalSettings(Optional<Path> file, long maxBytes, int files) {}

package io.migrationexporter.config;

/** @param json one JSON object per line instead of readable text */
public record LogSettings(boolean json, String level) {}

package io.migrationexporter.config;

/** An application the maintenance concerns; checks name it so boards can group by app. */
public record AppDefinition(String name, String title) {}

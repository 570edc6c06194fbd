package io.migrationexporter.source.saas;

/**
 * The defaults of a check kind whose settings all live on the source it reads: the loader needs a
 * value per kind, and null would read as "defaults invalid".
 */
public record NoDefaults() {
  public static final NoDefaults NONE = new NoDefaults();
}

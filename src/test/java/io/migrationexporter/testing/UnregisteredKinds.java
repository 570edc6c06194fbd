package io.migrationexporter.testing;

import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import io.migrationexporter.config.SourceKind;
import io.migrationexporter.source.saas.NoDefaults;

/**
 * Kinds a test registers on a loader of its own to make one point (a clash, a forgotten family,
 * a scripted database): outside the contract every kind passes, which never asks their example.
 */
public final class UnregisteredKinds {
  private UnregisteredKinds() {}

  /** A test's source kind. */
  public interface Source extends SourceKind {
    @Override
    default KindExample example(ExampleTarget target) {
      throw new UnsupportedOperationException(name() + " is a test's kind, outside the contract");
    }
  }

  /** A test's check kind on a source of its own, without defaults. */
  public interface Check extends NoDefaults.SourceCheckKind {
    @Override
    default KindExample example(ExampleTarget target) {
      throw new UnsupportedOperationException(name() + " is a test's kind, outside the contract");
    }
  }
}

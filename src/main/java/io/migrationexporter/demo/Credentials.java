package io.migrationexporter.demo;

import java.security.SecureRandom;
import java.util.HexFormat;

/** The demo's passwords, tokens and API keys: new and random at every run. */
final class Credentials {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Credentials() {}

  /** 128 random bits in hexadecimal. */
  static String random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}

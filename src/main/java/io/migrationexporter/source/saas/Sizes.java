package io.migrationexporter.source.saas;

/** Byte counts written the way the configuration takes them ("512KiB", "4MiB"). */
final class Sizes {
  private Sizes() {}

  static String format(long bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return bytes / (1 << 20) + "MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return bytes / (1 << 10) + "KiB";
    }
    return bytes + "B";
  }
}

package io.migrationexporter.source.freshping;

import java.util.List;

/** The parts of Freshping's answers the source reads; every other field is ignored. */
final class FreshpingJson {
  private FreshpingJson() {}

  /** One page of {@code GET /checks/}; {@code next} is the URL of the next page, if any. */
  record Page(List<Check> results, String next) {}

  record Check(Long id, String name, String status) {}
}

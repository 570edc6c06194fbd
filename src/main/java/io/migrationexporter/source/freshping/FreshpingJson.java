package io.migrationexporter.source.freshping;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;

/**
 * The parts of Freshping's answers the source reads; every other field is ignored.
 * A list of records holding a null is refused as an unexpected shape (Nulls.FAIL).
 */
final class FreshpingJson {
  private FreshpingJson() {}

  /** One page of {@code GET /checks/}; {@code next} is the URL of the next page, if any. */
  record Page(@JsonSetter(contentNulls = Nulls.FAIL) List<Check> results, String next) {}

  record Check(Long id, String name, String status) {}
}

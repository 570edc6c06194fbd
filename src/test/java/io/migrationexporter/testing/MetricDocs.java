package io.migrationexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.collect.MetricDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The family tables of a markdown page: {@code | `name` | type | labels | meaning |} rows. */
public final class MetricDocs {
  /** One documented family, markdown quotes removed. */
  public record Row(String servedName, String type, List<String> labels, String meaning) {}

  private MetricDocs() {}

  /** The family rows of {@code page} by served name; a family documented twice fails. */
  public static Map<String, Row> rows(Path page) throws IOException {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(page)) {
      if (!line.startsWith("| `migration_")) {
        continue;
      }
      String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
      assertThat(cells).as("a family row has four cells, name, type, labels, meaning: " + line)
          .hasSize(4);
      String name = plain(cells[0]);
      List<String> labels = plain(cells[2]).isEmpty() ? List.of()
          : Arrays.stream(plain(cells[2]).split(",")).map(String::strip).toList();
      assertThat(rows.put(name, new Row(name, plain(cells[1]), labels, plain(cells[3]))))
          .as(name + " is documented twice in " + page).isNull();
    }
    return rows;
  }

  /** How {@code row} differs from what {@code family} declares: type, labels, help text first. */
  public static List<String> differences(MetricDef family, Row row) {
    List<String> differences = new ArrayList<>();
    String type = family.type().name().toLowerCase(Locale.ROOT);
    if (!row.type().equals(type)) {
      differences.add("type " + row.type() + " instead of " + type);
    }
    if (!row.labels().equals(family.labelNames())) {
      differences.add("labels " + row.labels() + " instead of " + family.labelNames());
    }
    if (!row.meaning().startsWith(family.help())) {
      differences.add("a meaning that does not start with the help text '" + family.help() + "'");
    }
    return differences;
  }

  private static String plain(String cell) {
    return cell.replace("`", "").replaceAll("\\s+", " ").strip();
  }
}

package io.migrationexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.app.Modules;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.MetricFamilies;
import io.migrationexporter.testing.MetricDocs;
import io.migrationexporter.testing.MetricDocs.Row;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md and the declared families (the core's and every registered kind's) say the same
 * thing both ways: every family declared is documented with its type, labels and help text (the
 * meaning starts with the help text /metrics serves), every family documented is declared, and no
 * {@link MetricDef} of the exporter's classes escapes the declarations.
 */
class MetricFamiliesDocTest {
  private final MetricFamilies declared = Modules.loader().families();

  @Test
  void everyDeclaredFamilyIsDocumentedWithItsTypeLabelsAndHelp() throws IOException {
    Map<String, Row> documented = documentedFamilies();
    SoftAssertions softly = new SoftAssertions();
    for (MetricFamilies.Declared each : declared.all()) {
      MetricDef family = each.family();
      String name = family.servedName();
      Row row = documented.get(name);
      softly.assertThat(row).as(name + ", declared by " + each.declarer()
          + ", is missing from docs/metrics.md").isNotNull();
      if (row == null) {
        continue;
      }
      softly.assertThat(MetricDocs.differences(family, row)).as(name + " in docs/metrics.md")
          .isEmpty();
    }
    softly.assertAll();
  }

  @Test
  void everyDocumentedFamilyIsDeclared() throws IOException {
    List<String> served = declared.all().stream().map(each -> each.family().servedName()).toList();
    assertThat(documentedFamilies().keySet()).as("documented in docs/metrics.md, declared by"
        + " no kind nor the core").isSubsetOf(served);
  }

  /** A constant a kind forgot to list in its families() would be refused at every scrape. */
  @Test
  void everyMetricDefOfTheExporterIsDeclared() throws Exception {
    List<MetricDef> constants = metricDefConstants();
    assertThat(constants).hasSizeGreaterThan(50);
    for (MetricDef constant : constants) {
      assertThat(declared.declares(constant)).as(constant.name() + " is a MetricDef constant that"
          + " neither the core nor any kind's families() declares").isTrue();
    }
  }

  private static Map<String, Row> documentedFamilies() throws IOException {
    Map<String, Row> rows = MetricDocs.rows(Project.file("docs/metrics.md"));
    assertThat(rows).as("family rows of docs/metrics.md").hasSizeGreaterThan(50);
    return rows;
  }

  /** Every static {@link MetricDef} field of the exporter's classes. */
  private static List<MetricDef> metricDefConstants() throws IOException, URISyntaxException,
      ReflectiveOperationException {
    Path classes = Path.of(MetricDef.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    List<Path> classFiles;
    try (Stream<Path> walk = Files.walk(classes)) {
      classFiles = walk.filter(path -> path.toString().endsWith(".class")).toList();
    }
    List<MetricDef> constants = new ArrayList<>();
    for (Path file : classFiles) {
      String className = classes.relativize(file).toString().replace('/', '.')
          .replaceAll("\\.class$", "");
      Class<?> type = Class.forName(className, false, MetricFamiliesDocTest.class.getClassLoader());
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == MetricDef.class) {
          field.setAccessible(true);
          constants.add((MetricDef) field.get(null));
        }
      }
    }
    return constants;
  }
}

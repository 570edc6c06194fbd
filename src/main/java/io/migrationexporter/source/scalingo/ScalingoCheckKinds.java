package io.migrationexporter.source.scalingo;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.config.CheckKind;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import io.migrationexporter.source.saas.NoDefaults;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * The checks on Scalingo sources: {@code scalingo-containers { account, app }} (closed when no
 * container but one-off is left) and {@code scalingo-backups { account, app }} (closed when
 * periodic backups are disabled). The app is declared once under {@code sources.scalingo}.
 */
public final class ScalingoCheckKinds {
  private ScalingoCheckKinds() {}

  public static CheckKind<NoDefaults> containers() {
    return new Kind("scalingo-containers", ScalingoAppSource::id, ScalingoAppSource.OBSERVATION,
        "");
  }

  public static CheckKind<NoDefaults> backups() {
    return new Kind("scalingo-backups", ScalingoDatabaseSource::id,
        ScalingoDatabaseSource.OBSERVATION, " with a database { } block");
  }

  private record Kind(String name, BinaryOperator<String> sourceId, String observation,
      String declaredWith) implements NoDefaults.SourceCheckKind {
    /** None: {@code sources.scalingo} declares these checks' sources and their families. */
    @Override
    public List<MetricDef> families() {
      return List.of();
    }

    @Override
    public Binding bind(CheckContext<NoDefaults> check) {
      ConfigNode block = check.block();
      String account = block.string("account");
      String app = block.string("app");
      String id = sourceId.apply(account, app);
      if (check.plan().source(id).isEmpty()) {
        throw check.plan().missingSource(block, "app", "scalingo", account, "no app '" + app + "'"
            + declaredWith + " under sources.scalingo." + account + ".apps; declare it there");
      }
      return new Binding(id, observation);
    }

    @Override
    public KindExample example(ExampleTarget target) {
      return KindExample.api(new ScalingoSourceKind().example(target).hocon() + """
          checks.example { %s { account = example, app = example-app } }
          """.formatted(name));
    }
  }
}

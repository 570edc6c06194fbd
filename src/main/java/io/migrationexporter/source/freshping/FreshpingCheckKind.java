package io.migrationexporter.source.freshping;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import io.migrationexporter.source.saas.NoDefaults;
import java.util.List;

/**
 * {@code freshping { account = pix, check = "Pix App" }} (or {@code check-id = 123456}, or
 * {@code all = true}): the monitoring is paused in closed phases and runs in open ones.
 */
public final class FreshpingCheckKind implements NoDefaults.SourceCheckKind {
  @Override
  public String name() {
    return "freshping";
  }

  /** None: {@code sources.freshping} declares these checks' sources and their families. */
  @Override
  public List<MetricDef> families() {
    return List.of();
  }

  @Override
  public Binding bind(CheckContext<NoDefaults> check) {
    ConfigNode block = check.block();
    String account = block.string("account");
    boolean all = block.bool("all", false);
    int given = (block.has("check") ? 1 : 0) + (block.has("check-id") ? 1 : 0) + (all ? 1 : 0);
    if (given != 1) {
      throw block.failHere("select exactly one of: check = \"name\", check-id = 123, all = true");
    }
    FreshpingSource.Selector selector;
    if (all) {
      selector = FreshpingSource.Selector.ALL;
    } else if (block.has("check")) {
      selector = new FreshpingSource.Selector("name", block.string("check"));
    } else {
      String id = block.string("check-id");
      if (!id.matches("[0-9]+")) {
        throw block.fail("check-id", "expected the numeric id of a Freshping check, got '" + id + "'");
      }
      selector = new FreshpingSource.Selector("id", id);
    }
    String sourceId = FreshpingSource.id(account);
    if (check.plan().source(sourceId)
        .filter(source -> source.settings() instanceof FreshpingSource.Settings).isEmpty()) {
      throw check.plan().missingSource(block, "account", "freshping", account,
          "no Freshping account '" + account + "' under sources.freshping");
    }
    return new Binding(sourceId, check.plan().request(sourceId, selector.key(), selector));
  }

  @Override
  public KindExample example(ExampleTarget target) {
    return KindExample.api(new FreshpingSourceKind().example(target).hocon() + """
        checks.example { freshping { account = example, all = true } }
        """);
  }
}

package io.migrationexporter.collect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The metric families the exporter may serve, each with who declared it (the core, or a kind),
 * and the clashes between those declarations: a name declared by two declarers, or twice by one
 * with a different type, help or labels. What is declared is what the exposition serves; a
 * sample of any other family is a bug it refuses.
 */
public final class MetricFamilies {
  /** One declared family and who declared it, in words: "the core", "source kind 'postgres'". */
  public record Declared(MetricDef family, String declarer) {}

  private final Map<String, Declared> byName;
  private final List<String> clashes;

  private MetricFamilies(Map<String, Declared> byName, List<String> clashes) {
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    this.clashes = List.copyOf(clashes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every declared family, the first declaration of a name when it clashes. */
  public Collection<Declared> all() {
    return byName.values();
  }

  /** One line per clash, naming the family and both declarers; empty when none. */
  public List<String> clashes() {
    return clashes;
  }

  /** The family declared under {@code name}. */
  public Optional<Declared> family(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** True when {@code family} is declared as it is: name, type, help and labels alike. */
  public boolean declares(MetricDef family) {
    Declared declared = byName.get(family.name());
    return declared != null && declared.family().equals(family);
  }

  /** Collects declarations in order; a clash is recorded, never thrown. */
  public static final class Builder {
    private final Map<String, Declared> byName = new LinkedHashMap<>();
    /**
     * Every name a family takes in the exposition (a counter {@code x} is also {@code x_total}),
     * so that a gauge {@code x_total} and a counter {@code x} are told apart as a clash.
     */
    private final Map<String, Declared> byServedName = new LinkedHashMap<>();
    private final List<String> clashes = new ArrayList<>();

    private Builder() {}

    public Builder declare(String declarer, Collection<MetricDef> families) {
      for (MetricDef family : families) {
        declare(new Declared(family, declarer));
      }
      return this;
    }

    private void declare(Declared declared) {
      MetricDef family = declared.family();
      for (String served : servedNames(family)) {
        Declared earlier = byServedName.get(served);
        if (earlier == null || earlier.equals(declared)) {
          continue;
        }
        clashes.add(earlier.declarer().equals(declared.declarer())
            ? "metric family " + family.name() + " is declared twice by " + declared.declarer()
                + ", with different type, help or labels: " + describe(earlier.family()) + " and "
                + describe(family)
            : "metric family " + family.name() + " is declared by " + earlier.declarer()
                + (earlier.family().name().equals(family.name()) ? ""
                    : " (as " + earlier.family().name() + ")")
                + " and by " + declared.declarer() + ": a family belongs to one kind, rename one"
                + " of them");
        return;
      }
      byName.putIfAbsent(family.name(), declared);
      servedNames(family).forEach(served -> byServedName.putIfAbsent(served, declared));
    }

    public MetricFamilies build() {
      return new MetricFamilies(byName, clashes);
    }

    /** A counter's samples are served as {@code x_total}, its family named {@code x}. */
    private static List<String> servedNames(MetricDef family) {
      return family.servedName().equals(family.name()) ? List.of(family.name())
          : List.of(family.name(), family.servedName());
    }

    private static String describe(MetricDef family) {
      return family.type().name().toLowerCase(Locale.ROOT) + " " + family.labelNames()
          + " \"" + family.help() + "\"";
    }
  }
}

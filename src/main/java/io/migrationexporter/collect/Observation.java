package io.migrationexporter.collect;

import io.migrationexporter.config.Redactor;
import java.util.Objects;
import java.util.Optional;

/**
 * What a source saw for one thing a check looks at, reduced to the two questions every check
 * asks: does it look closed (in maintenance, stopped, paused, disabled), does it look open
 * (serving, running, monitoring)? Both can be false: an HTTP 500 is neither a maintenance page
 * nor service. {@code summary} says it in words a non-specialist reads ("In maintenance (503)").
 * {@code quantity} is the count behind the words when the source has one (2 containers, 3
 * connections), so that a board shows the number without parsing the summary.
 */
public record Observation(boolean closed, boolean open, String summary,
    Optional<Quantity> quantity) {
  /** Longest summary; a longer one, with upstream text in it, is cut. */
  public static final int SUMMARY_LIMIT = 512;

  /** The summary is masked of secrets and cut: it often quotes upstream text. */
  public Observation {
    Objects.requireNonNull(summary, "summary");
    summary = Redactor.upstream(summary, SUMMARY_LIMIT);
    Objects.requireNonNull(quantity, "quantity");
    if (closed && open) {
      throw new IllegalArgumentException("an observation cannot be both closed and open: " + summary);
    }
  }

  public Observation(boolean closed, boolean open, String summary) {
    this(closed, open, summary, Optional.empty());
  }

  /** A number with the word that says what it counts, in the plural: 2 "containers". */
  public record Quantity(double amount, String unit) {
    public Quantity {
      Objects.requireNonNull(unit, "unit");
      if (!Double.isFinite(amount)) {
        throw new IllegalArgumentException("a quantity is a finite number: " + amount);
      }
    }
  }

  public static Observation closed(String summary) {
    return new Observation(true, false, summary);
  }

  public static Observation open(String summary) {
    return new Observation(false, true, summary);
  }

  public static Observation neither(String summary) {
    return new Observation(false, false, summary);
  }

  /** This observation with the count behind its words. */
  public Observation counting(double amount, String unit) {
    return new Observation(closed, open, summary, Optional.of(new Quantity(amount, unit)));
  }
}

package io.migrationexporter.collect;

import java.util.Objects;

/**
 * What a source saw for one thing a check looks at, reduced to the two questions every check
 * asks: does it look closed (in maintenance, stopped, paused, disabled), does it look open
 * (serving, running, monitoring)? Both can be false: an HTTP 500 is neither a maintenance page
 * nor service. {@code summary} says it in words a non-specialist reads ("In maintenance (503)").
 */
public record Observation(boolean closed, boolean open, String summary) {
  public Observation {
    Objects.requireNonNull(summary, "summary");
    if (closed && open) {
      throw new IllegalArgumentException("an observation cannot be both closed and open: " + summary);
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
}

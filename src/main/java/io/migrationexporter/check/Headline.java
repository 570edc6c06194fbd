package io.migrationexporter.check;

import java.util.List;
import java.util.Optional;

/**
 * The board's one line: the answer to the question of the current phase. A gate that speaks for
 * the phase answers it (GO / NO GO, and the words beside it come from that very gate). Before any
 * such phase, the gate of the next one says how much is left to do, without alarm: nothing is
 * wrong with apps that still serve in preparation.
 *
 * @param tone {@code go}, {@code no-go} or {@code neutral}
 * @param gate the gate the headline comes from, empty when none speaks for this phase or a later one
 */
public record Headline(String tone, String text, Optional<GateResult> gate) {
  public static final String GO = "go";
  public static final String NO_GO = "no-go";
  public static final String NEUTRAL = "neutral";

  /**
   * @param gates every gate, in configuration order: the first that speaks for a phase is its voice
   * @param checks the checks evaluated against {@code phase}
   */
  public static Headline of(String phase, List<String> order, List<GateResult> gates,
      List<CheckResult> checks) {
    Optional<GateResult> speaking = speakingFor(phase, gates);
    if (speaking.isPresent()) {
      return judged(speaking.get());
    }
    int index = order.indexOf(phase);
    for (String later : order.subList(index + 1, order.size())) {
      Optional<GateResult> ahead = speakingFor(later, gates);
      if (ahead.isPresent()) {
        return ahead(ahead.get(), later);
      }
    }
    long off = checks.stream().filter(check -> check.state() != CheckState.OK).count();
    String text = off == 0 ? "All " + things(checks.size(), "check") + " as expected"
        : off + " of " + things(checks.size(), "check") + " not as expected";
    return new Headline(NEUTRAL, text, Optional.empty());
  }

  private static Optional<GateResult> speakingFor(String phase, List<GateResult> gates) {
    return gates.stream().filter(gate -> gate.gate().speaksFor(phase)).findFirst();
  }

  private static Headline judged(GateResult gate) {
    String title = gate.gate().title();
    if (gate.open()) {
      return new Headline(GO, title, Optional.of(gate));
    }
    if (gate.selected() == 0) {
      return new Headline(NO_GO, "“" + title + "” selects no check", Optional.of(gate));
    }
    return new Headline(NO_GO, gate.blocking().size() + " of " + things(gate.selected(), "check")
        + " not ready for “" + title + "”", Optional.of(gate));
  }

  /** The gate of a later phase, read as a to-do list: "3 things to close when the maintenance starts". */
  private static Headline ahead(GateResult gate, String phase) {
    int left = gate.blocking().size();
    String text = left == 0
        ? "Nothing left to do for “" + gate.gate().title() + "” when the " + phase + " starts"
        : things(left, "thing") + " to " + verb(gate) + " when the " + phase + " starts";
    return new Headline(NEUTRAL, text, Optional.of(gate));
  }

  /** What has to happen to the blocking checks: close, open, or both. */
  private static String verb(GateResult gate) {
    boolean close = gate.blocking().stream().anyMatch(c -> c.expected() == Expectation.CLOSED);
    boolean open = gate.blocking().stream().anyMatch(c -> c.expected() == Expectation.OPEN);
    if (close && open) {
      return "close or open";
    }
    return open ? "open" : close ? "close" : "settle";
  }

  private static String things(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}

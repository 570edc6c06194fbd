package io.migrationexporter.check;

import java.util.List;

/** A gate evaluated now: open when every check it selects is ok; {@code blocking} says which are not. */
public record GateResult(GateDefinition gate, boolean open, List<CheckResult> blocking,
    int selected) {
  public GateResult {
    blocking = List.copyOf(blocking);
  }
}

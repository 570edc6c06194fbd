package io.migrationexporter.report;

import io.migrationexporter.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of the journal a report tells: from {@code from} (default: the first event) to {@code
 * to} (default: the last event, or now for the night so far).
 */
public record Window(Instant from, Instant to, List<Event> events) {

  /**
   * The events between {@code from} and {@code to}. What was true when the window opens (the
   * phase, each check's, gate's and migration's state) is told by the last event before it, moved
   * to the window's start, so the report starts from the right states.
   *
   * @throws IllegalArgumentException the window holds no event, or ends before it starts
   */
  public static Window cut(List<Event> journal, Optional<Instant> from, Optional<Instant> to) {
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      throw new IllegalArgumentException("--from " + from.get() + " is not before --to "
          + to.get());
    }
    Map<String, Event> before = new LinkedHashMap<>();
    List<Event> inside = new ArrayList<>();
    for (Event event : journal) {
      if (from.isPresent() && event.at().isBefore(from.get())) {
        before.put(event.type() + "\u0000" + event.subject(), event);
      } else if (to.isEmpty() || !event.at().isAfter(to.get())) {
        inside.add(event);
      }
    }
    List<Event> events = new ArrayList<>();
    before.values().forEach(event -> events.add(new Event(event.sequence(), from.get(),
        event.type(), event.subject(), event.from(), event.to(), event.message())));
    events.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    events.addAll(inside);
    if (events.isEmpty()) {
      throw new IllegalArgumentException(journal.isEmpty() ? "the journal holds no event"
          : "the journal holds no event in this window (its events run from "
              + journal.get(0).at() + " to " + journal.get(journal.size() - 1).at() + ")");
    }
    Instant start = from.orElse(events.get(0).at());
    Instant end = to.orElse(events.get(events.size() - 1).at());
    return new Window(start, end, List.copyOf(events));
  }
}

package io.migrationexporter.event;

import io.migrationexporter.config.Redactor;
import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepMeasure;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The last state changes, bounded in memory, each also logged as one line and, when a journal
 * file is given, appended to it. Configuration events (reloads) are kept apart, the newest {@link
 * #CONFIG_KEPT}: however many reloads come, they never push out the night's phase, check, gate and
 * step events.
 */
public final class Journal implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("io.migrationexporter.events");

  private final Clock clock;
  private final int capacity;
  /** Events of this type are kept in their own, smaller, ring. */
  public static final String CONFIG = "config";
  static final int CONFIG_KEPT = 50;

  private final Deque<Event> events;
  private final Deque<Event> configEvents = new ArrayDeque<>(CONFIG_KEPT);
  private final JournalFile file;
  private long sequence;

  public Journal(Clock clock, int capacity) {
    this(clock, capacity, null);
  }

  /**
   * Also appends every event to {@code file} (null: memory only), starting from the newest events
   * it holds, so a restart neither forgets them nor reuses their sequence numbers.
   */
  public Journal(Clock clock, int capacity, JournalFile file) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.clock = clock;
    this.capacity = capacity;
    this.events = new ArrayDeque<>(capacity);
    this.file = file;
    if (file != null) {
      List<Event> saved = file.load();
      saved.forEach(this::keep);
      saved.forEach(event -> sequence = Math.max(sequence, event.sequence()));
    }
  }

  public Event record(String type, String subject, String from, String to, String message) {
    return record(type, subject, from, to, message, Optional.empty(), Optional.empty());
  }

  /**
   * An event that also tells the size of the table a step rewrites and what was measured of the
   * step it leaves.
   */
  public Event record(String type, String subject, String from, String to, String message,
      Optional<RelationVolume> volume, Optional<StepMeasure> measure) {
    Event event;
    synchronized (this) {
      event = new Event(++sequence, clock.instant(), type, subject, from, to,
          Redactor.redact(message), volume, measure);
      keep(event);
      if (file != null) {
        file.append(event);
      }
    }
    LOG.info(() -> type + " " + subject + ": " + event.message());
    return event;
  }

  private void keep(Event event) {
    boolean config = CONFIG.equals(event.type());
    Deque<Event> ring = config ? configEvents : events;
    if (ring.size() == (config ? CONFIG_KEPT : capacity)) {
      ring.removeFirst();
    }
    ring.addLast(event);
  }

  /** Events after {@code sequence}, oldest first, at most {@code limit} of the newest. */
  public synchronized List<Event> after(long afterSequence, int limit) {
    List<Event> out = new ArrayList<>();
    for (Deque<Event> ring : List.of(events, configEvents)) {
      for (Event event : ring) {
        if (event.sequence() > afterSequence) {
          out.add(event);
        }
      }
    }
    out.sort(Comparator.comparingLong(Event::sequence));
    return out.size() <= limit ? out : out.subList(out.size() - limit, out.size());
  }

  /**
   * Every event kept, oldest first: the journal file's (its rotated files included) and those not
   * on disk yet; without a file, those in memory.
   */
  public List<Event> all() {
    List<Event> out = file == null ? new ArrayList<>() : new ArrayList<>(file.load());
    long onDisk = out.isEmpty() ? 0 : out.get(out.size() - 1).sequence();
    synchronized (this) {
      events.stream().filter(event -> event.sequence() > onDisk).forEach(out::add);
    }
    return out;
  }

  /** Writes what the journal file has queued and closes it. */
  @Override
  public void close() {
    if (file != null) {
      file.close();
    }
  }
}

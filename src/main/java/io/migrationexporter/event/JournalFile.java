package io.migrationexporter.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepMeasure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The events on disk, one JSON object a line, so they outlive a restart and tell the night
 * afterwards. Appending only queues the line: a thread of its own writes and fsyncs the queue at
 * most once a second, so a crash loses at most the last second and a flood of events costs one
 * fsync a second. When the file would grow past {@code maxBytes} it is renamed {@code FILE.1}
 * (the older ones shifting to {@code .2}, ...) and only the newest {@code files} are kept.
 */
public final class JournalFile implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("io.migrationexporter.events");
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);

  private final Path path;
  private final long maxBytes;
  private final int files;
  private final Thread writer;
  private final Object lock = new Object();
  /** Held while writing a batch or rotating, so a reader never sees half of either. */
  private final Object disk = new Object();
  private StringBuilder pending = new StringBuilder();
  private boolean closing;
  private FileChannel channel;

  private JournalFile(Path path, long maxBytes, int files) {
    this.path = path;
    this.maxBytes = maxBytes;
    this.files = files;
    this.writer = new Thread(this::writeLoop, "journal-writer");
    this.writer.setDaemon(true);
  }

  /**
   * Opens {@code path} for appending, creating its directory, and starts the writer.
   *
   * @param maxBytes the size past which the file is rotated
   * @param files how many files to keep, the current one included (at least 1)
   */
  public static JournalFile open(Path path, long maxBytes, int files) throws IOException {
    if (maxBytes < 1 || files < 1) {
      throw new IllegalArgumentException("maxBytes " + maxBytes + ", files " + files);
    }
    JournalFile file = new JournalFile(path.toAbsolutePath(), maxBytes, files);
    file.openChannel();
    file.writer.start();
    return file;
  }

  public Path path() {
    return path;
  }

  /** Queues {@code event}; it reaches the disk within about a second. */
  public void append(Event event) {
    String line = line(event);
    synchronized (lock) {
      if (closing) {
        return;
      }
      pending.append(line).append('\n');
      lock.notifyAll();
    }
  }

  /** Every event still on disk, oldest first: the rotated files, then the current one. */
  public List<Event> load() {
    synchronized (disk) {
      return readAll(path, files);
    }
  }

  /**
   * Reads the journal at {@code path} and its rotated files ({@code path.1} to {@code
   * path.(files-1)}), oldest first. A line that is not an event (a tail torn by a crash, a
   * damaged disk block) is skipped with a warning naming the file and line.
   */
  public static List<Event> readAll(Path path, int files) {
    List<Event> events = new ArrayList<>();
    for (int i = files - 1; i >= 0; i--) {
      readInto(i == 0 ? path : rotated(path, i), events);
    }
    return events;
  }

  /** {@link #readAll(Path, int)} with every rotated file that exists. */
  public static List<Event> readAll(Path path) {
    int files = 1;
    while (Files.exists(rotated(path, files))) {
      files++;
    }
    return readAll(path, files);
  }

  private static void readInto(Path file, List<Event> into) {
    // Undecodable bytes become U+FFFD: their line fails to parse, the lines around it are kept.
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          into.add(event(JSON.readTree(line)));
        } catch (IOException | RuntimeException e) {
          LOG.warning("journal " + file + " line " + number
              + " is not an event (a write cut short by a crash?), skipped");
        }
      }
    } catch (NoSuchFileException e) {
      // Nothing recorded yet, or fewer rotations than allowed.
    } catch (IOException e) {
      LOG.warning("journal " + file + " could not be read, its events skipped: " + e.getMessage());
    }
  }

  /** Writes {@code events} to {@code target} as a journal, such as a copy that outlives the exporter. */
  public static void writeAll(Path target, List<Event> events) throws IOException {
    StringBuilder lines = new StringBuilder();
    events.forEach(event -> lines.append(line(event)).append('\n'));
    Files.writeString(target, lines, StandardCharsets.UTF_8);
  }

  static String line(Event event) {
    ObjectNode node = JSON.createObjectNode();
    node.put("sequence", event.sequence());
    node.put("at", event.at().toString());
    node.put("type", event.type());
    node.put("subject", event.subject());
    node.put("from", event.from());
    node.put("to", event.to());
    node.put("message", event.message());
    event.volume().ifPresent(volume -> {
      ObjectNode written = node.putObject("volume");
      volume.table().ifPresent(table -> written.put("table", table));
      written.put("bytes", volume.bytes()).put("rows", volume.rows());
    });
    event.measure().ifPresent(measure -> {
      ObjectNode written = node.putObject("measure").put("wal_bytes", measure.walBytes());
      measure.indexSort().ifPresent(ratio -> written.put("index_sort", ratio));
      measure.indexWrite().ifPresent(ratio -> written.put("index_write", ratio));
      measure.foreignKeyJoin().ifPresent(ratio -> written.put("foreign_key_join", ratio));
    });
    return node.toString();
  }

  private static Event event(JsonNode node) {
    if (!node.path("sequence").canConvertToLong() || !node.path("at").isTextual()
        || !node.path("type").isTextual() || !node.path("subject").isTextual()) {
      throw new IllegalArgumentException("not an event");
    }
    return new Event(node.get("sequence").asLong(), Instant.parse(node.get("at").asText()),
        node.get("type").asText(), node.get("subject").asText(), text(node, "from"),
        text(node, "to"), text(node, "message"), volume(node.get("volume")),
        measure(node.get("measure")));
  }

  /** A measure that does not read as one is left out, as a volume is. */
  private static Optional<StepMeasure> measure(JsonNode node) {
    if (node == null || !node.path("wal_bytes").canConvertToLong()
        || node.get("wal_bytes").asLong() < 0) {
      return Optional.empty();
    }
    return Optional.of(new StepMeasure(node.get("wal_bytes").asLong(), ratio(node, "index_sort"),
        ratio(node, "index_write"), ratio(node, "foreign_key_join")));
  }

  private static OptionalDouble ratio(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isNumber() && value.asDouble() >= 0
        ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
  }

  /** A volume that does not read as one is left out: the event stays, its figures are unknown. */
  private static Optional<RelationVolume> volume(JsonNode node) {
    if (node == null || !node.path("bytes").canConvertToLong()
        || !node.path("rows").canConvertToLong() || node.get("bytes").asLong() <= 0
        || node.get("rows").asLong() < 0) {
      return Optional.empty();
    }
    Optional<String> table = node.path("table").isTextual()
        ? Optional.of(node.get("table").asText()) : Optional.empty();
    return Optional.of(new RelationVolume(table, node.get("bytes").asLong(),
        node.get("rows").asLong()));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  static Path rotated(Path path, int generation) {
    return path.resolveSibling(path.getFileName() + "." + generation);
  }

  private void openChannel() throws IOException {
    Path parent = path.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    // A crash can leave half a line: start on a line of our own, so only that half is lost.
    if (channel.size() > 0 && !endsWithNewline()) {
      channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
    }
  }

  private boolean endsWithNewline() throws IOException {
    try (FileChannel reader = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      reader.read(last, reader.size() - 1);
      return last.get(0) == '\n';
    }
  }

  private void writeLoop() {
    while (true) {
      String batch;
      boolean last;
      synchronized (lock) {
        while (pending.isEmpty() && !closing) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            closing = true;
          }
        }
        batch = pending.toString();
        pending = new StringBuilder();
        last = closing;
      }
      long started = System.nanoTime();
      if (!batch.isEmpty()) {
        write(batch);
      }
      if (last) {
        closeChannel();
        return;
      }
      waitBeforeNextSync(started);
    }
  }

  /** At most one fsync a second; a close cuts the wait short. */
  private void waitBeforeNextSync(long started) {
    long deadline = started + SYNC_INTERVAL.toNanos();
    synchronized (lock) {
      long left;
      while (!closing && (left = deadline - System.nanoTime()) > 0) {
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          closing = true;
        }
      }
    }
  }

  private void write(String batch) {
    byte[] bytes = batch.getBytes(StandardCharsets.UTF_8);
    synchronized (disk) {
      writeLocked(bytes);
    }
  }

  private void writeLocked(byte[] bytes) {
    try {
      if (channel.size() > 0 && channel.size() + bytes.length > maxBytes) {
        rotate();
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      // The events stay in memory and in the log; the journal only loses this batch.
      LOG.log(Level.WARNING, "journal " + path + ": " + bytes.length
          + " bytes of events could not be written: " + e.getMessage());
    }
  }

  private void rotate() throws IOException {
    channel.close();
    if (files == 1) {
      Files.delete(path);
    } else {
      Files.deleteIfExists(rotated(path, files - 1));
      for (int generation = files - 2; generation >= 1; generation--) {
        Path older = rotated(path, generation);
        if (Files.exists(older)) {
          Files.move(older, rotated(path, generation + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(path, rotated(path, 1), StandardCopyOption.REPLACE_EXISTING);
    }
    openChannel();
  }

  private void closeChannel() {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warning("journal " + path + " did not close cleanly: " + e.getMessage());
    }
  }

  /** Writes what is queued, fsyncs and stops the writer. */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    try {
      writer.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.migrationexporter.phase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The phase survives restarts in a small JSON file, written atomically: a temporary file in the
 * same directory, flushed to disk, then renamed over the old one, so a crash leaves either the old
 * or the new state, never half of one. A file that cannot be read is reported, never replaced.
 */
public final class PhaseStore {
  private static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public PhaseStore(Path file) {
    this.file = file.toAbsolutePath();
  }

  public Path file() {
    return file;
  }

  /** The saved state, or empty when no file exists yet. */
  public Optional<PhaseState> load() throws PhaseStateException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new PhaseStateException("cannot read the phase state file " + file + ": " + e);
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !root.isObject()) {
        throw corrupt("not a JSON object");
      }
      if (root.path("format").asInt(-1) != FORMAT) {
        throw corrupt("unknown format " + root.path("format"));
      }
      String current = root.path("phase").asText("");
      if (current.isEmpty()) {
        throw corrupt("no phase");
      }
      Map<String, Instant> entered = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = root.path("entered").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        entered.put(field.getKey(), Instant.parse(field.getValue().asText()));
      }
      if (!entered.containsKey(current)) {
        throw corrupt("no entry time for phase " + current);
      }
      return Optional.of(new PhaseState(current, entered, root.path("changed-by").asText("unknown")));
    } catch (IOException | DateTimeParseException e) {
      throw corrupt(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
    }
  }

  private PhaseStateException corrupt(String why) {
    return new PhaseStateException("the phase state file " + file + " is corrupt (" + why
        + "); it was left as it is: fix it, or move it away to start again from the initial phase");
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  public void save(PhaseState state) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("phase", state.current());
    root.put("changed-by", state.changedBy());
    ObjectNode entered = root.putObject("entered");
    state.entered().forEach((phase, at) -> entered.put(phase, at.toString()));
    writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  /**
   * Replaces {@code target} with {@code bytes} so that a crash leaves the old or the new content,
   * never half of one: a temporary file in the same directory, flushed, renamed over the target.
   */
  public static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dir + " cannot rename atomically", e);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Makes the rename itself durable; some platforms cannot open a directory, which is harmless there. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // directories cannot be opened for sync on every platform; the rename is done regardless
    }
  }
}

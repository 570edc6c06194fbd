package io.migrationexporter.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The files a configuration names (itself, its includes, secrets): regular files of bounded size
 * only, so that loading never blocks on a pipe, never reads a device without end and never fills
 * the memory with a file named by mistake.
 */
final class ConfigFiles {
  /** A configuration file or one it includes; thousands of checks fit in far less. */
  static final long LARGEST_CONFIG = 4L * 1024 * 1024;
  /** A token, password or key file; a certificate bundle is not a secret. */
  static final int LARGEST_SECRET = 64 * 1024;

  private ConfigFiles() {}

  /** Why {@code file} cannot be read as a file of at most {@code limit} bytes; empty when it can. */
  static Optional<String> refusal(Path file, long limit) {
    if (Files.isDirectory(file)) {
      return Optional.of(file + " is a directory, not a file");
    }
    if (!Files.exists(file)) {
      return Optional.of("cannot read file " + file + ": it does not exist");
    }
    if (!Files.isRegularFile(file)) {
      // A FIFO blocks the reader until someone writes; /dev/zero never ends.
      return Optional.of(file + " is not a regular file (a pipe or a device)");
    }
    if (!Files.isReadable(file)) {
      return Optional.of("cannot read file " + file + ": permission denied");
    }
    try {
      if (Files.size(file) > limit) {
        return Optional.of(tooLarge(file, limit));
      }
    } catch (IOException e) {
      return Optional.of("cannot read file " + file + ": " + e.getClass().getSimpleName());
    }
    return Optional.empty();
  }

  static String tooLarge(Path file, long limit) {
    return file + " is larger than " + size(limit);
  }

  static String size(long bytes) {
    return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
  }

  /**
   * The UTF-8 text of a file {@link #refusal} accepted, reading at most {@code limit + 1} bytes.
   *
   * @throws Refused when it is larger or not UTF-8, with a message that quotes none of it
   */
  static String readText(Path file, int limit) throws IOException {
    // Read with a cap whatever refusal() saw: a file that grew since is refused, not read on.
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(limit + 1);
    }
    if (bytes.length > limit) {
      throw new Refused(tooLarge(file, limit));
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new Refused(file + " is not UTF-8 text");
    }
  }

  /** A file refused for what it holds; the message is ours and safe to show. */
  static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * The problem of a configuration file that is not UTF-8, at the line and column (in characters)
   * of its first bad byte; empty when the file is UTF-8. The library would read such bytes as
   * U+FFFD and go on with a value nobody wrote.
   */
  static Optional<ConfigProblem> notUtf8(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) LARGEST_CONFIG + 1);
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      return Optional.empty();
    }
    out.flip();
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < out.length(); i++) {
      if (out.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    long column = out.subSequence(lineStart, out.length()).codePoints().count() + 1;
    return Optional.of(new ConfigProblem(file.toString(), line, null, "not UTF-8 text: the byte"
        + " at column " + column + " is not valid UTF-8; save the file as UTF-8"));
  }
}

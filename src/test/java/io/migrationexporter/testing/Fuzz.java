package io.migrationexporter.testing;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A seeded loop of random cases for fuzz tests. The seed is fixed by default so that CI runs the
 * same cases every time; {@code -Dfuzz.seed=...} picks other cases and {@code -Dfuzz.iterations=...}
 * runs more (or fewer) of them. A failing case names the seed and its index, which replay it.
 */
public final class Fuzz {
  private static final String SEED = "fuzz.seed";
  private static final String ITERATIONS = "fuzz.iterations";

  private Fuzz() {}

  /** One case: its index, and a random source that depends only on the seed and the index. */
  public record Case(long seed, int index, Random random) {
    /** How to replay this case alone. */
    public String replay() {
      return "case " + index + " of -D" + SEED + "=" + seed + " (replay it alone with -D" + SEED
          + "=" + seed + " -Dfuzz.first=" + index + " -D" + ITERATIONS + "=1)";
    }
  }

  /** The seed: {@code -Dfuzz.seed}, else {@code defaultSeed}. */
  public static long seed(long defaultSeed) {
    String value = System.getProperty(SEED);
    return value == null || value.isBlank() ? defaultSeed : Long.parseLong(value.trim());
  }

  /** The number of cases: {@code -Dfuzz.iterations}, else {@code defaultCount}. */
  public static int iterations(int defaultCount) {
    String value = System.getProperty(ITERATIONS);
    return value == null || value.isBlank() ? defaultCount : Integer.parseInt(value.trim());
  }

  /**
   * Runs {@code iterations(defaultCount)} cases of {@code seed(defaultSeed)}, starting at
   * {@code -Dfuzz.first} (0 by default). A case that throws fails the test with its replay line.
   */
  public static void run(long defaultSeed, int defaultCount, Consumer<Case> body) {
    long seed = seed(defaultSeed);
    int first = Integer.getInteger("fuzz.first", 0);
    int count = iterations(defaultCount);
    for (int index = first; index < first + count; index++) {
      Case fuzzCase = new Case(seed, index, new Random(mix(seed, index)));
      try {
        body.accept(fuzzCase);
      } catch (Throwable e) {
        throw failure(fuzzCase, e);
      }
    }
  }

  /**
   * The failure of a case, in ASCII: inputs hold any character, and a report in the platform's
   * encoding (ASCII in a C locale) would be cut at the first one it cannot write. The chain of
   * causes is told in the message, with the stack of the deepest one.
   */
  private static AssertionError failure(Case fuzzCase, Throwable error) {
    StringBuilder message = new StringBuilder("fuzz ").append(fuzzCase.replay()).append(": ");
    Throwable deepest = error;
    String told = "";
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      // A wrapping assertion repeats the message of its cause: tell it once.
      String text = String.valueOf(cause.getMessage());
      if (!told.contains(text)) {
        message.append(cause == error ? "" : "\n  caused by ").append(cause);
        told = text;
      }
      deepest = cause;
    }
    AssertionError failure = new AssertionError(ascii(message.toString()));
    StackTraceElement[] stack = deepest.getStackTrace();
    failure.setStackTrace(Arrays.copyOf(stack, Math.min(stack.length, 40)));
    return failure;
  }

  /** Every character outside printable ASCII (line breaks aside) as a Java escape. */
  public static String ascii(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.chars().forEach(c -> {
      if (c == '\n' || c >= 0x20 && c < 0x7f) {
        out.append((char) c);
      } else {
        out.append(String.format("\\u%04x", c));
      }
    });
    return out.toString();
  }

  /** A case's own seed: neighbouring indexes give unrelated sequences. */
  private static long mix(long seed, int index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** {@code text} cut to {@code max} characters for a failure message, lines indented. */
  public static String excerpt(String text, int max) {
    String shown = text.length() <= max ? text
        : text.substring(0, max) + "... (" + text.length() + " characters)";
    return shown.replace("\n", "\n    ");
  }
}

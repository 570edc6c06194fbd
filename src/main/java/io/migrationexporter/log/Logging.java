package io.migrationexporter.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationexporter.config.LogSettings;
import io.migrationexporter.config.Redactor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logging on java.util.logging, to standard error: one readable line per record, or one JSON
 * object per line. Every line goes through the redactor, stack traces included.
 */
public final class Logging {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** java.util.logging holds loggers weakly: a level set on one nobody keeps would be lost. */
  private static final java.util.List<Logger> QUIETED = new java.util.ArrayList<>();

  private Logging() {}

  public static void configure(LogSettings settings) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    Handler handler = new ConsoleHandler();
    handler.setLevel(Level.ALL);
    handler.setFormatter(settings.json() ? new JsonFormatter() : new TextFormatter());
    root.addHandler(handler);
    root.setLevel(level(settings.level()));
    // Libraries speak only when something is wrong.
    for (String noisy : new String[] {"io.undertow", "org.xnio", "org.jboss", "okhttp3"}) {
      Logger logger = Logger.getLogger(noisy);
      logger.setLevel(Level.WARNING);
      QUIETED.add(logger);
    }
  }

  static Level level(String name) {
    return switch (name) {
      case "debug" -> Level.FINE;
      case "warn" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      default -> Level.INFO;
    };
  }

  static String levelName(Level level) {
    if (level.intValue() >= Level.SEVERE.intValue()) {
      return "error";
    }
    if (level.intValue() >= Level.WARNING.intValue()) {
      return "warn";
    }
    if (level.intValue() >= Level.INFO.intValue()) {
      return "info";
    }
    return "debug";
  }

  private static String shortLogger(String name) {
    if (name == null) {
      return "";
    }
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  private static String stackTrace(Throwable thrown) {
    StringWriter out = new StringWriter();
    thrown.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** {@code 2026-07-23T22:00:00.123Z info  Runtime: message}. */
  static final class TextFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder line = new StringBuilder(160);
      line.append(Instant.ofEpochMilli(record.getMillis())).append(' ')
          .append(String.format("%-5s", levelName(record.getLevel()))).append(' ')
          .append(shortLogger(record.getLoggerName())).append(": ")
          .append(formatMessage(record));
      if (record.getThrown() != null) {
        line.append('\n').append(stackTrace(record.getThrown()).stripTrailing());
      }
      return Redactor.redact(line.toString()) + System.lineSeparator();
    }
  }

  /** {@code {"time":..., "level":..., "logger":..., "message":..., "error":...}}. */
  static final class JsonFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      ObjectNode node = JSON.createObjectNode();
      node.put("time", Instant.ofEpochMilli(record.getMillis()).toString());
      node.put("level", levelName(record.getLevel()));
      node.put("logger", record.getLoggerName());
      node.put("message", Redactor.redact(formatMessage(record)));
      if (record.getThrown() != null) {
        node.put("error", Redactor.redact(stackTrace(record.getThrown())));
      }
      return node.toString() + System.lineSeparator();
    }
  }
}

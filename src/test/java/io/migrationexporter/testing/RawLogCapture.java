package io.migrationexporter.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Everything logged while it is installed, message, parameters and stack traces, before the
 * redactor of the log formatter: a leak the redactor would hide still shows here.
 */
public final class RawLogCapture extends Handler implements AutoCloseable {
  private final StringBuilder text = new StringBuilder();
  private final Logger root = Logger.getLogger("");
  private final Level previous = root.getLevel();

  /** Captures every record of every logger from now until {@link #close}. */
  public static RawLogCapture install() {
    RawLogCapture capture = new RawLogCapture();
    capture.setLevel(Level.ALL);
    capture.root.setLevel(Level.ALL);
    capture.root.addHandler(capture);
    return capture;
  }

  private RawLogCapture() {}

  public synchronized String text() {
    return text.toString();
  }

  @Override
  public synchronized void publish(LogRecord record) {
    text.append(record.getMessage()).append('\n');
    if (record.getParameters() != null) {
      for (Object parameter : record.getParameters()) {
        text.append(parameter).append('\n');
      }
    }
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      text.append(trace).append('\n');
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    root.setLevel(previous);
  }
}

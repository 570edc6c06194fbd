package io.migrationexporter.soak;

import io.migrationexporter.board.Browser;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentest4j.TestAbortedException;

/**
 * The board page open in a headless Chromium through the soak, polling the exporter as the wall
 * screen of a maintenance night does: it must stay live (no "connection lost"), draw a card for
 * every check, and log no error (a failed request or a script error).
 */
final class BoardWatcher implements AutoCloseable {
  private final Browser browser;
  private final Findings findings;
  private final AtomicInteger looks = new AtomicInteger();

  private BoardWatcher(Browser browser, Findings findings) {
    this.browser = browser;
    this.findings = findings;
  }

  /**
   * Opens the board at {@code url}; empty when Chromium is not installed (the soak then runs
   * without it, except on CI where {@link Browser#start} fails instead).
   */
  static Optional<BoardWatcher> open(String url, Findings findings) throws Exception {
    Browser browser;
    try {
      browser = Browser.start(1280, 900);
    } catch (TestAbortedException e) {
      System.out.println("soak without a browser: " + e.getMessage());
      return Optional.empty();
    }
    try {
      browser.open(url);
    } catch (Exception | Error e) {
      browser.close();
      throw e;
    }
    return Optional.of(new BoardWatcher(browser, findings));
  }

  /** Looks at the page once: live, every check drawn, nothing logged. */
  void look(List<String> checks) {
    try {
      String connection = browser.attribute(browser.find("#connection").orElseThrow(), "class");
      if (connection == null || !connection.contains("connection-live")) {
        findings.add("board", "the page is not live: " + connection + ", "
            + browser.text(browser.find("#connection").orElseThrow()));
      }
      for (String check : checks) {
        if (browser.find("[data-check='" + check + "']").isEmpty()) {
          findings.add("board", "no card for check " + check);
        }
      }
      List<String> errors = browser.errors();
      errors.forEach(error -> findings.add("board", "the page logged: " + error));
      looks.incrementAndGet();
    } catch (Exception e) {
      findings.add("board", "cannot read the page: " + e);
    }
  }

  int looks() {
    return looks.get();
  }

  @Override
  public void close() {
    browser.close();
  }
}

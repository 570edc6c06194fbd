package io.migrationexporter.board;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Tests of the board in one headless Chromium for the whole class, each test starting on a blank
 * 1920x1080 wall screen.
 */
abstract class WallScreenTest {
  static Browser browser;

  @BeforeAll
  static void startBrowser() throws Exception {
    browser = Browser.start(1920, 1080);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void wallScreen() throws Exception {
    // the last test's page stops polling its stopped exporter; its errors are not this test's
    browser.open("about:blank");
    browser.errors();
    browser.resize(1920, 1080);
  }
}

package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.TestExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests no scraper sends, written byte by byte on a socket so that no client library tidies
 * them up: each gets a 4xx (or an ordinary answer), never a 5xx, never silence, and the exporter
 * serves normally afterwards.
 */
class HttpHygieneTest {
  static final String TOKEN = "hygiene-admin-token";

  @TempDir
  static Path dir;
  static TestExporter exporter;

  @BeforeAll
  static void start() throws Exception {
    exporter = TestExporter.start(dir,
        "server.admin-token = \"" + TOKEN + "\"\n" + TestExporter.ONE_CHECK);
  }

  @AfterAll
  static void stop() {
    exporter.close();
  }

  /** The status of the answer to {@code request}, or -1 when the connection closed without one. */
  static int status(byte[] request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", exporter.port()), 5_000);
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // the server may refuse and close before the whole request is written; read its answer
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      try {
        while ((c = in.read()) != -1 && c != '\n') {
          line.write(c);
        }
      } catch (IOException e) {
        return -1;
      }
      String status = line.toString(StandardCharsets.ISO_8859_1);
      if (!status.startsWith("HTTP/1.1 ")) {
        return -1;
      }
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  static byte[] request(String method, String target, String... headers) {
    StringBuilder text = new StringBuilder(method).append(' ').append(target)
        .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (String header : headers) {
      text.append(header).append("\r\n");
    }
    return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void badRequestsGet4xxAndNever5xx() throws Exception {
    String huge = "a".repeat(100 * 1024);
    Map<String, byte[]> requests = new LinkedHashMap<>();
    requests.put("garbage Accept", request("GET", "/metrics", "Accept: ;;;,,,="));
    requests.put("long garbage Accept", request("GET", "/metrics",
        "Accept: " + "application/openmetrics-text;version=;q=,;".repeat(1000)));
    requests.put("unknown OpenMetrics version", request("GET", "/metrics",
        "Accept: application/openmetrics-text; version=99.0.0; charset=utf-8"));
    requests.put("garbage Accept-Encoding", request("GET", "/metrics",
        "Accept-Encoding: gzip;q=;;, br;q=x, *;q=-1"));
    requests.put("garbage scrape timeout", request("GET", "/metrics",
        "X-Prometheus-Scrape-Timeout-Seconds: NaN"));
    requests.put("100 KB header", request("GET", "/metrics", "X-Big: " + huge));
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      many.add("X-Header-" + i + ": value");
    }
    requests.put("2000 headers", request("GET", "/metrics", many.toArray(new String[0])));
    requests.put("100 KB URL", request("GET", "/metrics?" + huge));
    requests.put("100 KB path", request("GET", "/" + huge));
    requests.put("unknown path", request("GET", "/no-such-page"));
    requests.put("below a known path", request("GET", "/metrics/extra"));
    requests.put("dot segments", request("GET", "/../../etc/passwd"));
    requests.put("encoded NUL", request("GET", "/api/gates/%00"));
    requests.put("unknown gate", request("GET", "/api/gates/no-such-gate"));
    requests.put("bad query", request("GET", "/api/events?after=abc&limit=99999999999999999999"));
    requests.put("bad percent encoding", request("GET", "/api/gates/%zz"));
    requests.put("POST /metrics", request("POST", "/metrics", "Content-Length: 0"));
    requests.put("DELETE /api/phase", request("DELETE", "/api/phase"));
    requests.put("PUT /", request("PUT", "/", "Content-Length: 0"));
    requests.put("TRACE /", request("TRACE", "/"));
    requests.put("TRACE /metrics", request("TRACE", "/metrics"));
    requests.put("OPTIONS *", request("OPTIONS", "*"));
    requests.put("CONNECT", request("CONNECT", "127.0.0.1:80"));
    requests.put("made-up method", request("BREW", "/metrics"));
    requests.put("absolute URL", request("GET", "http://elsewhere.example/metrics"));
    requests.put("phase body not JSON", request("PUT", "/api/phase",
        "Authorization: Bearer " + TOKEN, "Content-Length: 5", "\r\n{{{{{".stripTrailing()));
    requests.put("phase body too large", request("PUT", "/api/phase",
        "Authorization: Bearer " + TOKEN, "Content-Length: 2000000"));
    requests.put("garbage request line", "GARBAGE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    requests.put("unknown HTTP version", "GET /metrics HTTP/7.0\r\nHost: x\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    requests.put("control characters in header", request("GET", "/metrics", "X-Bad: a\u0001b"));

    Map<String, Integer> answers = new LinkedHashMap<>();
    List<LogRecord> logged = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public synchronized void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          logged.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      for (Map.Entry<String, byte[]> entry : requests.entrySet()) {
        answers.put(entry.getKey(), status(entry.getValue()));
      }
      // A chunk size that is not hex breaks the framing: nobody can tell where the next request
      // starts, so Undertow closes the connection, which HTTP allows; nothing may fail inside.
      assertThat(status(("PUT /api/phase HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
          + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot hex\r\n0\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1))).isIn(-1, 400);
    } finally {
      root.removeHandler(capture);
    }
    assertThat(answers).allSatisfy((name, status) ->
        assertThat(status).as(name + " answered " + status).isBetween(200, 499));
    assertThat(answers).containsEntry("garbage Accept", 200).containsEntry("unknown path", 404)
        .containsEntry("POST /metrics", 405).containsEntry("DELETE /api/phase", 405)
        .containsEntry("TRACE /", 405).containsEntry("100 KB header", 400)
        .containsEntry("100 KB URL", 400).containsEntry("phase body not JSON", 400);
    assertThat(logged).as("a client's mistake is not the exporter's error").isEmpty();

    assertThat(status(request("GET", "/metrics"))).as("still serving").isEqualTo(200);
    assertThat(status(request("GET", "/-/healthy"))).isEqualTo(200);
    assertThat(exporter.exporter().runtime().phases().state().current()).isEqualTo("preparation");
  }
}

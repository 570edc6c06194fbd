package io.migrationexporter.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, finding 2: an HTTP check following a redirect to another host (127.0.0.2 from
 * 127.0.0.1) sends it none of its secret headers, nor the Basic header of the URL's user:password;
 * a redirect within the origin keeps them, as curl and browsers do.
 */
class CrossHostRedirectTest {
  @TempDir
  Path dir;
  final Map<String, Headers> seen = new ConcurrentHashMap<>();
  HttpServer origin;
  HttpServer other;
  TestExporter exporter;

  private HttpServer serve(String address) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0),
        16);
    server.createContext("/", exchange -> {
      seen.put(address + exchange.getRequestURI().getPath(), exchange.getRequestHeaders());
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/away")) {
        exchange.getResponseHeaders().add("Location",
            "http://127.0.0.2:" + other.getAddress().getPort() + "/elsewhere");
        exchange.sendResponseHeaders(302, -1);
      } else if (path.startsWith("/around")) {
        exchange.getResponseHeaders().add("Location", "/here");
        exchange.sendResponseHeaders(307, -1);
      } else {
        exchange.sendResponseHeaders(503, -1);
      }
      exchange.close();
    });
    server.start();
    return server;
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    origin.stop(0);
    other.stop(0);
  }

  @Test
  void secretHeadersStayWithTheOriginOfTheConfiguredUrl() throws Exception {
    origin = serve("127.0.0.1");
    other = serve("127.0.0.2");
    String base = "127.0.0.1:" + origin.getAddress().getPort();
    exporter = TestExporter.start(dir, """
        phases.initial = maintenance
        checks.headers.http {
          url = "http://%1$s/away"
          follow-redirects = true
          headers { Authorization = "Bearer origin-bearer-1", X-Api-Key = "origin-key-2",
            Cookie = "session=origin-cookie-3", X-Custom-Secret = "origin-secret-4",
            X-Trace = "plain" }
        }
        checks.userinfo.http {
          url = "http://scott:tiger-5@%1$s/away-userinfo", follow-redirects = true
        }
        checks.within.http {
          url = "http://%1$s/around", follow-redirects = true
          headers { X-Api-Key = "origin-key-6" }
        }
        """.formatted(base));

    Scrape scrape = exporter.scrape();

    assertThat(scrape.get("migration_http_status_code", "check", "headers")).isEqualTo(503);
    assertThat(scrape.get("migration_http_status_code", "check", "userinfo")).isEqualTo(503);
    assertThat(scrape.get("migration_http_status_code", "check", "within")).isEqualTo(503);
    Headers first = seen.get("127.0.0.1/away");
    assertThat(first.getFirst("Authorization")).isEqualTo("Bearer origin-bearer-1");
    assertThat(first.getFirst("X-Api-Key")).isEqualTo("origin-key-2");
    Headers elsewhere = seen.get("127.0.0.2/elsewhere");
    assertThat(elsewhere).as("the redirect was followed").isNotNull();
    for (String secret : new String[] {"Authorization", "X-Api-Key", "Cookie",
        "X-Custom-Secret"}) {
      assertThat(elsewhere.containsKey(secret)).as(secret + " sent to another host").isFalse();
    }
    assertThat(elsewhere.getFirst("X-Trace")).isEqualTo("plain");
    assertThat(seen.get("127.0.0.1/away-userinfo").getFirst("Authorization")).startsWith("Basic ");
    Headers here = seen.get("127.0.0.1/here");
    assertThat(here.getFirst("X-Api-Key")).as("same origin keeps them").isEqualTo("origin-key-6");
  }
}

package io.migrationexporter.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The control tower page at {@code /} and its two assets, read once from the jar. The page only
 * runs its own script, talks only to this server and cannot be framed: it works on a network
 * without internet and a value it shows can never run as code.
 */
final class BoardHandler {
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self';"
      + " style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none';"
      + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final String RESOURCES = "/io/migrationexporter/board/";

  /** A file served as is, with the tag a browser revalidates its copy with. */
  private record Asset(byte[] body, String contentType, String etag) {}

  private final Map<String, Asset> assets;
  private final Asset page;

  BoardHandler() {
    this.page = load("index.html", "text/html; charset=utf-8");
    this.assets = Map.of(
        "board.css", load("board.css", "text/css; charset=utf-8"),
        "board.js", load("board.js", "text/javascript; charset=utf-8"),
        "favicon.svg", load("favicon.svg", "image/svg+xml"));
  }

  void page(HttpServerExchange exchange) {
    send(exchange, page);
  }

  /** {@code /board/{file}}: only the known assets, anything else is not found. */
  void asset(HttpServerExchange exchange) {
    String file = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("file");
    Asset asset = assets.get(file);
    if (asset == null) {
      Responses.error(exchange, 404, "not found; see / for the endpoints");
      return;
    }
    send(exchange, asset);
  }

  private static void send(HttpServerExchange exchange, Asset asset) {
    var headers = exchange.getResponseHeaders();
    headers.put(new HttpString("Content-Security-Policy"), CONTENT_SECURITY_POLICY);
    headers.put(new HttpString("X-Content-Type-Options"), "nosniff");
    headers.put(Headers.X_FRAME_OPTIONS, "DENY");
    headers.put(new HttpString("Referrer-Policy"), "no-referrer");
    // revalidated at every load, so an upgraded exporter never runs an old script with a new page
    headers.put(Headers.CACHE_CONTROL, "no-cache");
    headers.put(Headers.ETAG, asset.etag());
    String ifNoneMatch = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
    if (asset.etag().equals(ifNoneMatch)) {
      exchange.setStatusCode(304);
      exchange.endExchange();
      return;
    }
    headers.put(Headers.CONTENT_TYPE, asset.contentType());
    exchange.getResponseSender().send(ByteBuffer.wrap(asset.body()));
  }

  private static Asset load(String name, String contentType) {
    try (InputStream in = BoardHandler.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks the board file " + RESOURCES + name);
      }
      byte[] body = in.readAllBytes();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return new Asset(body, contentType, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the board file " + name, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

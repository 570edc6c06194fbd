package io.migrationexporter.testing;

import io.migrationexporter.demo.fakes.FakeServer;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;

/**
 * An upstream that never answers well, on 127.0.0.1: whatever the path, the status and body the
 * test set last, with the request's headers (credentials included) in place of {@link #ECHO}, as a
 * careless API or proxy echoes them. The faults of {@link FakeServer} (a hang, a 429, an HTML page,
 * a cut or huge body) and its raw-body rewrites apply on top.
 */
public final class HostileUpstream extends FakeServer {
  /** Where an answer's body gets the request's headers. */
  public static final String ECHO = "ECHO-HEADERS";

  private volatile Reply answer = Reply.json(200, "{\"echo\":\"" + ECHO + "\"}");

  public HostileUpstream() {
    echoHeaders(ECHO);
  }

  /** Every request gets {@code status} and {@code body} from now on. */
  public void answer(int status, String body) {
    answer = Reply.json(status, body);
  }

  /**
   * Bytes that are no HTTP request (a database client's greeting) get the connection closed at
   * once, rather than held until the client's own timeout.
   */
  @Override
  protected void configure(Undertow.Builder builder) {
    builder.setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 100);
  }

  @Override
  protected Reply route(Call call) {
    return answer;
  }
}

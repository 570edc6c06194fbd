package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.RawHttp;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;

/** The listener opened without Undertow's builder: it binds, serves, and ends its threads. */
class HttpListenerTest {
  private static Set<Thread> xnioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("XNIO-")).collect(Collectors.toSet());
  }

  private static HttpListener open(int port) {
    return HttpListener.open("127.0.0.1", port, Optional.empty(),
        exchange -> exchange.getResponseSender().send("served"), OptionMap.EMPTY,
        OptionMap.EMPTY, OptionMap.EMPTY);
  }

  @Test
  void servesAndClosingEndsItsThreads() throws Exception {
    Set<Thread> before = xnioThreads();
    HttpListener listener = open(0);
    assertThat(RawHttp.exchange("127.0.0.1", listener.port(), RawHttp.get("/"))).endsWith("served");
    assertThat(xnioThreads()).as("its worker's threads").isNotEqualTo(before);
    listener.close();
    Await.until("the worker's threads ended", () -> before.containsAll(xnioThreads()),
        Duration.ofSeconds(30));
  }

  @Test
  void aBusyPortIsABindExceptionAndLeavesNoThreads() throws Exception {
    Set<Thread> before = xnioThreads();
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> open(busy.getLocalPort()))
          .hasMessageContaining("cannot listen on 127.0.0.1:" + busy.getLocalPort())
          .hasRootCauseInstanceOf(BindException.class);
    }
    Await.until("the worker's threads ended", () -> before.containsAll(xnioThreads()),
        Duration.ofSeconds(30));
  }
}

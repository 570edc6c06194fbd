package io.migrationexporter.demo;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;

/**
 * A web app of the simulated production: it answers 200 while open and, once the team closes it,
 * its maintenance answer (503 for a front-end, 404 for an API gateway path).
 */
final class SimulatedApp implements AutoCloseable {
  private final String name;
  private final int closedStatus;
  private final Undertow server;
  private volatile boolean closed;

  SimulatedApp(String name, int closedStatus) {
    this.name = name;
    this.closedStatus = closedStatus;
    this.server = Undertow.builder()
        .addHttpListener(0, "127.0.0.1")
        .setIoThreads(1)
        .setWorkerThreads(2)
        .setHandler(exchange -> {
          boolean maintenance = closed;
          exchange.setStatusCode(maintenance ? this.closedStatus : 200);
          exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
          exchange.getResponseSender().send(maintenance
              ? "<h1>" + this.name + " is in maintenance</h1>"
              : "<h1>" + this.name + "</h1><p>Welcome.</p>");
        })
        .build();
    server.start();
  }

  String name() {
    return name;
  }

  String url() {
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    return "http://127.0.0.1:" + port + "/";
  }

  void setClosed(boolean value) {
    closed = value;
  }

  @Override
  public void close() {
    server.stop();
  }

  @Override
  public String toString() {
    return "the simulated " + name;
  }
}

package io.migrationexporter.server;

import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.OpenListener;
import io.undertow.server.protocol.http.AlpnOpenListener;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http2.Http2OpenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.conduits.ConduitStreamSinkChannel;

/**
 * One HTTP or HTTPS listener, opened as {@code Undertow.start()} opens it (its XNIO worker,
 * buffers, socket options and protocol listeners), for the one thing Undertow's builder cannot
 * do: hand each accepted connection's output to a {@link ParserRejectionConduit} before Undertow
 * sees the connection, so that Undertow's own empty 400 says why.
 */
final class HttpListener implements AutoCloseable {
  private final XnioWorker worker;
  private final AcceptingChannel<? extends StreamConnection> channel;
  private final Optional<UndertowXnioSsl> ssl;

  private HttpListener(XnioWorker worker, AcceptingChannel<? extends StreamConnection> channel,
      Optional<UndertowXnioSsl> ssl) {
    this.worker = worker;
    this.channel = channel;
    this.ssl = ssl;
  }

  /**
   * Binds {@code host:port} and serves {@code handler}: over TLS with {@code sslContext} when
   * given, with HTTP/2 offered through ALPN when {@code serverOptions} enables it.
   *
   * @param workerOptions the worker's threads
   * @param socketOptions added to Undertow's defaults; for TLS also versions, suites, client
   *     certificates
   * @param serverOptions Undertow's options (sizes, timeouts)
   * @throws UncheckedIOException when the address cannot be resolved or bound
   */
  static HttpListener open(String host, int port, Optional<SSLContext> sslContext,
      HttpHandler handler, OptionMap workerOptions, OptionMap socketOptions,
      OptionMap serverOptions) {
    Xnio xnio = Xnio.getInstance(io.undertow.Undertow.class.getClassLoader());
    XnioWorker worker = null;
    try {
      // Undertow's worker defaults, then ours
      worker = xnio.createWorker(OptionMap.builder()
          .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
          .set(Options.CONNECTION_LOW_WATER, 1_000_000)
          .set(Options.TCP_NODELAY, true)
          .set(Options.CORK, true)
          .addAll(workerOptions)
          .getMap());
      OptionMap sockets = OptionMap.builder()
          .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
          .set(Options.TCP_NODELAY, true)
          .set(Options.REUSE_ADDRESSES, true)
          .set(Options.BALANCING_TOKENS, 1)
          .set(Options.BALANCING_CONNECTIONS, 2)
          .set(Options.BACKLOG, 1000)
          .addAll(socketOptions)
          .getMap();
      OptionMap undertowOptions = OptionMap.builder()
          .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
          .addAll(serverOptions)
          .getMap();
      ByteBufferPool buffers = buffers(Runtime.getRuntime().maxMemory());
      HttpOpenListener http = new HttpOpenListener(buffers, undertowOptions);
      http.setRootHandler(handler);
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
      if (sslContext.isEmpty()) {
        AcceptingChannel<StreamConnection> channel = worker.createStreamConnectionServer(
            address, accepting(http), sockets);
        channel.resumeAccepts();
        return new HttpListener(worker, channel, Optional.empty());
      }
      OpenListener open = http;
      if (serverOptions.get(UndertowOptions.ENABLE_HTTP2, false)) {
        AlpnOpenListener alpn = new AlpnOpenListener(buffers, undertowOptions, http);
        Http2OpenListener http2 = new Http2OpenListener(buffers, undertowOptions);
        http2.setRootHandler(handler);
        alpn.addProtocol(Http2OpenListener.HTTP2, http2, 10);
        alpn.addProtocol(Http2OpenListener.HTTP2_14, http2, 7);
        open = alpn;
      }
      UndertowXnioSsl ssl = new UndertowXnioSsl(xnio, OptionMap.create(Options.USE_DIRECT_BUFFERS,
          true), sslContext.get(), null);
      AcceptingChannel<? extends StreamConnection> channel = ssl.createSslConnectionServer(worker,
          address, accepting(open), sockets);
      channel.resumeAccepts();
      return new HttpListener(worker, channel, Optional.of(ssl));
    } catch (IOException e) {
      if (worker != null) {
        worker.shutdownNow();
      }
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
  }

  /** The buffers Undertow's builder picks for a heap of {@code maxMemory} bytes. */
  private static ByteBufferPool buffers(long maxMemory) {
    if (maxMemory < 64L * 1024 * 1024) {
      return new DefaultByteBufferPool(false, 512, -1, 4);
    }
    if (maxMemory < 128L * 1024 * 1024) {
      return new DefaultByteBufferPool(true, 1024, -1, 4);
    }
    // 20 bytes short of 16 KiB, the most a write() sends at once, for protocol headers
    return new DefaultByteBufferPool(true, 16 * 1024 - 20, -1, 4);
  }

  /** Accepts connections for {@code open}, each with its output behind the conduit. */
  private static <C extends StreamConnection> ChannelListener<AcceptingChannel<C>> accepting(
      ChannelListener<? super StreamConnection> open) {
    return ChannelListeners.openListenerAdapter((C connection) -> {
      ConduitStreamSinkChannel sink = connection.getSinkChannel();
      sink.setConduit(new ParserRejectionConduit(sink.getConduit()));
      open.handleEvent(connection);
    });
  }

  int port() {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  /** New TLS connections use {@code context}; open ones keep theirs. Nothing for plain HTTP. */
  void useSslContext(SSLContext context) {
    ssl.ifPresent(listener -> listener.updateSSLContext(context));
  }

  /** Stops accepting, then waits for the worker's threads to end, as {@code Undertow.stop()}. */
  @Override
  public void close() {
    IoUtils.safeClose(channel);
    worker.shutdown();
    try {
      worker.awaitTermination();
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}

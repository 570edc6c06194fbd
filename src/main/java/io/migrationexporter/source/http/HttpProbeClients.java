package io.migrationexporter.source.http;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.migrationexporter.web.Pem;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The HTTP clients of all HTTP checks. The JDK client is asynchronous on one selector thread, so a
 * thousand probes in flight, hanging ones included, cost sockets but no thread each. Probes with
 * the same connection settings share a client and its connection pool.
 */
public final class HttpProbeClients implements AutoCloseable {
  static {
    // A probe may need to send its own Host header (probing a virtual host through an address).
    if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
      System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }
    // Idle connections to probed apps are kept for reuse between probes, not for 20 minutes.
    if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
      System.setProperty("jdk.httpclient.keepalive.timeout", "30");
    }
  }

  private final Map<HttpProbe.ClientKey, HttpClient> clients = new ConcurrentHashMap<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "http-probe");
    thread.setDaemon(true);
    return thread;
  });

  HttpClient client(HttpProbe.ClientKey key) {
    return clients.computeIfAbsent(key, this::build);
  }

  private HttpClient build(HttpProbe.ClientKey key) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(key.connectTimeout())
        // HttpProbeSource follows redirects itself, minding where secret headers go
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor);
    try {
      if (!key.tlsVerify()) {
        builder.sslContext(context(new TrustManager[] {new TrustingManager()}));
      } else if (key.caFile().isPresent()) {
        builder.sslContext(context(trustOnly(key.caFile().get())));
      } else {
        builder.sslContext(new DeferredTlsContext()).sslParameters(DeferredTlsContext.parameters());
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
    return builder.build();
  }

  /** Stops the threads of the clients, once no HTTP check uses them any more. */
  @Override
  public void close() {
    executor.shutdown();
  }

  /** Reads a PEM file of CA certificates; used at configuration time to report a bad file. */
  static TrustManager[] trustOnly(Path caFile) throws IOException, GeneralSecurityException {
    return Pem.trustManagers(caFile);
  }

  private static SSLContext context(TrustManager[] trust) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust, new SecureRandom());
    return context;
  }

  /** For {@code tls-verify = false}: accepts any certificate and any host name, as asked. */
  private static final class TrustingManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}

package io.migrationexporter.source.saas;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.migrationexporter.collect.SharedResources;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The one HTTP client of every SaaS source of the process. Calls are asynchronous: a call waiting
 * for a slow API holds a socket and a dispatcher thread, never a thread of the collector's
 * blocking pool, which the database sources need. The dispatcher bounds the calls in flight to one
 * host ({@link #MAX_REQUESTS_PER_HOST}): fifty apps of one Scalingo account refresh concurrently
 * without opening fifty connections at once.
 */
public final class SaasHttp implements AutoCloseable {
  /** Calls in flight to one host; the others wait in the dispatcher's queue. */
  public static final int MAX_REQUESTS_PER_HOST = 8;
  private static final int MAX_REQUESTS = 64;

  /**
   * Decodes every answer into records whose components are the APIs' snake_case fields in
   * camelCase; fields an API adds later are ignored, not errors.
   */
  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final OkHttpClient client;

  SaasHttp() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor threads = new ThreadPoolExecutor(0, MAX_REQUESTS, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "saas-http-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    Dispatcher dispatcher = new Dispatcher(threads);
    dispatcher.setMaxRequests(MAX_REQUESTS);
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
    client = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(MAX_REQUESTS_PER_HOST * 2, 30, TimeUnit.SECONDS))
        // Retries are decided by SaasApi, which knows which requests are safe to send again.
        .retryOnConnectionFailure(false)
        // An API answering with a redirect is misconfigured; following it could carry credentials
        // to another host.
        .followRedirects(false)
        .followSslRedirects(false)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(30))
        .writeTimeout(Duration.ofSeconds(10))
        .build();
  }

  private SaasHttp(OkHttpClient client) {
    this.client = client;
  }

  /**
   * This client trusting only {@code trust}'s certificates, such as a Kubernetes cluster's own CA;
   * it shares the dispatcher and connection pool, so the bounds above still hold.
   */
  public SaasHttp trusting(X509TrustManager trust) {
    return tls(null, trust);
  }

  /**
   * This client presenting the client certificate of {@code keys} (a Kubernetes user's), trusting
   * {@code trust}'s certificates, else the JVM's; it shares the dispatcher and connection pool.
   */
  public SaasHttp presenting(KeyManager[] keys, Optional<X509TrustManager> trust) {
    return tls(keys, trust.orElseGet(SaasHttp::systemTrust));
  }

  private SaasHttp tls(KeyManager[] keys, X509TrustManager trust) {
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys, new TrustManager[] {trust}, null);
      return new SaasHttp(client.newBuilder().sslSocketFactory(tls.getSocketFactory(), trust).build());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JVM", e);
    }
  }

  private static X509TrustManager systemTrust() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JVM", e);
    }
    throw new IllegalStateException("no X.509 trust manager in this JVM");
  }

  /** The one instance of the SaaS sources, created by the first one opened. */
  public static SaasHttp shared(SharedResources shared) {
    return shared.get(SaasHttp.class, SaasHttp.class, SaasHttp::new);
  }

  /**
   * Once no source uses the client: cancels the calls still in flight (their answers have no
   * reader any more), lets the threads go and closes the idle connections.
   */
  @Override
  public void close() {
    client.dispatcher().cancelAll();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  OkHttpClient client() {
    return client;
  }
}

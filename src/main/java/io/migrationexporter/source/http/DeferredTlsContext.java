package io.migrationexporter.source.http;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's default TLS context (its trust store, full verification), set up at the first HTTPS
 * probe rather than when the client is built. The JDK HTTP client sets up its TLS context and
 * parameters in its constructor, even when every URL is plain HTTP: that loaded about 800
 * classes and parsed the trust store's certificates at every start. With this context, and
 * parameters given explicitly (empty: the engine's defaults, which are the default context's),
 * that work happens only when a check uses HTTPS.
 */
final class DeferredTlsContext extends SSLContext {
  DeferredTlsContext() {
    super(new Spi(), null, "Default");
  }

  /** Empty parameters: the client then asks nothing of the context until a TLS connection. */
  static SSLParameters parameters() {
    return new SSLParameters();
  }

  private static final class Spi extends SSLContextSpi {
    private volatile SSLContext context;

    private SSLContext context() {
      SSLContext current = context;
      if (current == null) {
        try {
          current = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("no default TLS context in this JVM", e);
        }
        context = current;
      }
      return current;
    }

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
      throw new UnsupportedOperationException("the default TLS context is not initialised again");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return context().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return context().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return context().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return context().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return context().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return context().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return context().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return context().getSupportedSSLParameters();
    }
  }
}

package io.migrationexporter.source;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why a network exchange got no answer, in the classes an operator tells apart: the name does not
 * resolve (dns), nothing listens or the route is closed (connect), the certificate or handshake is
 * refused (tls), no answer in time (timeout), or the connection broke (io).
 *
 * @param kind dns, connect, tls, timeout or io: the {@code kind} label of error metrics
 * @param words what happened, for boards and logs; never the exception's own text, which can
 *     quote a URL with credentials
 */
public record TransportError(String kind, String words) {
  public static final String DNS = "dns";
  public static final String CONNECT = "connect";
  public static final String TLS = "tls";
  public static final String TIMEOUT = "timeout";
  public static final String IO = "io";

  public static TransportError classify(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    // The JDK HTTP client wraps a name that does not resolve in a ConnectException: look for
    // the DNS failure along the whole chain before taking the outer exception for a refusal.
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return new TransportError(DNS, "host name does not resolve");
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return new TransportError(TIMEOUT, "no connection within the connect timeout");
      }
      if (t instanceof HttpTimeoutException || t instanceof TimeoutException
          || t instanceof SocketTimeoutException) {
        return new TransportError(TIMEOUT, "no answer within the timeout");
      }
      if (t instanceof SSLException) {
        return new TransportError(TLS, "TLS handshake failed");
      }
      if (t instanceof NoRouteToHostException) {
        return new TransportError(CONNECT, "no route to host");
      }
      if (t instanceof ConnectException) {
        return new TransportError(CONNECT, "connection refused");
      }
    }
    return new TransportError(IO, "connection failed (" + cause.getClass().getSimpleName() + ")");
  }
}

package io.migrationexporter.source.kubernetes;

import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.web.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;

/**
 * How the exporter reaches one cluster: the API server's URL, the file holding the bearer token
 * (read again at every refresh, since Kubernetes rotates projected service-account tokens about
 * every hour), and the CA the server's certificate must chain to.
 */
record KubernetesAccess(HttpUrl apiUrl, Path tokenFile, Optional<Path> caFile) {
  /** The largest token file read; projected tokens are about 1 KiB. */
  private static final int LARGEST_TOKEN = 64 << 10;

  /** The token as it is now in its file. */
  String token() throws SourceException {
    try {
      if (!Files.isRegularFile(tokenFile)) {
        throw new SourceException(ErrorKind.AUTH, "the token file " + tokenFile
            + " is missing or not a regular file");
      }
      if (Files.size(tokenFile) > LARGEST_TOKEN) {
        throw new SourceException(ErrorKind.AUTH, "the token file " + tokenFile + " is larger than "
            + (LARGEST_TOKEN >> 10) + " KiB");
      }
      String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new SourceException(ErrorKind.AUTH, "the token file " + tokenFile + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new SourceException(ErrorKind.AUTH, "cannot read the token file " + tokenFile + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** A trust manager for the certificates of a PEM file, the cluster's CA. */
  static X509TrustManager trustOf(Path caFile) throws IOException, GeneralSecurityException {
    for (TrustManager manager : Pem.trustManagers(caFile)) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager in this JVM");
  }
}

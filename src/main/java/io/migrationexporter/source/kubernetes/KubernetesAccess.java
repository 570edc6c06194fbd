package io.migrationexporter.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.web.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;

/**
 * How the exporter reaches one cluster: the API server's URL, the file holding the bearer token
 * (read again at every refresh, since Kubernetes rotates projected service-account tokens about
 * every hour), and the CA the server's certificate must chain to. With {@code kubeconfigUser},
 * the token file is a kubeconfig and the token that user's. A kubeconfig user may authenticate
 * with a client certificate instead of a token, or with both.
 *
 * @param tokenFile where the token is; empty for a user with a client certificate alone
 * @param caFile the CA's PEM file, or the kubeconfig holding it in {@code caData}; empty: the
 *     system's CAs
 * @param caData a kubeconfig's {@code certificate-authority-data} (base64 of PEM)
 * @param clientCertificate the client certificate the TLS layer presents, if any
 */
record KubernetesAccess(HttpUrl apiUrl, Optional<Path> tokenFile, Optional<String> kubeconfigUser,
    Optional<Path> caFile, Optional<String> caData,
    Optional<ClientCertificate> clientCertificate) {
  /**
   * A kubeconfig user's client certificate: read when the configuration is loaded, to check it and
   * to name it, and again when the source is opened, so the plan holds no key material.
   *
   * @param identity the certificate's subject and serial number: a renewed certificate changes the
   *     definition, so a reload opens the source again with it
   */
  record ClientCertificate(String identity, Path kubeconfig, String user) {
    /** What presents the certificate, read again from the kubeconfig. */
    KeyManager[] keys() throws KubeconfigCertificate.Unusable {
      JsonNode root;
      try {
        root = Kubeconfig.read(kubeconfig);
      } catch (IOException e) {
        throw new KubeconfigCertificate.Unusable("cannot read the kubeconfig " + kubeconfig);
      }
      JsonNode node = Kubeconfig.named(root, "users", user).orElse(MissingNode.getInstance());
      return KubeconfigCertificate.of(node, kubeconfig).orElseThrow(() ->
          new KubeconfigCertificate.Unusable("user " + user + " of " + kubeconfig
              + " has no client certificate any more")).keys();
    }
  }
  /** The largest token file read; projected tokens are about 1 KiB. */
  private static final int LARGEST_TOKEN = 64 << 10;

  /** A service account's token or a token file, without client certificate. */
  KubernetesAccess(HttpUrl apiUrl, Path tokenFile, Optional<Path> caFile) {
    this(apiUrl, Optional.of(tokenFile), Optional.empty(), caFile, Optional.empty(),
        Optional.empty());
  }

  /** How the source authenticates, in words for its description. */
  String credentials() {
    List<String> parts = new ArrayList<>();
    tokenFile.ifPresent(file -> parts.add(kubeconfigUser
        .map(user -> "user " + user + " of kubeconfig " + file).orElse("token file " + file)));
    clientCertificate.ifPresent(certificate -> parts.add("client certificate "
        + certificate.identity() + " of user " + certificate.user()));
    return String.join(", ", parts);
  }

  /** The token as it is now in its file; empty when the client certificate alone authenticates. */
  Optional<String> token() throws SourceException {
    if (tokenFile.isEmpty()) {
      return Optional.empty();
    }
    if (kubeconfigUser.isPresent()) {
      return Optional.of(kubeconfigToken(tokenFile.get(), kubeconfigUser.get()));
    }
    Path file = tokenFile.get();
    try {
      if (!Files.isRegularFile(file)) {
        throw new SourceException(ErrorKind.AUTH, "the token file " + file
            + " is missing or not a regular file");
      }
      if (Files.size(file) > LARGEST_TOKEN) {
        throw new SourceException(ErrorKind.AUTH, "the token file " + file + " is larger than "
            + (LARGEST_TOKEN >> 10) + " KiB");
      }
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new SourceException(ErrorKind.AUTH, "the token file " + file + " is empty");
      }
      return Optional.of(token);
    } catch (IOException e) {
      throw new SourceException(ErrorKind.AUTH, "cannot read the token file " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static String kubeconfigToken(Path kubeconfig, String user) throws SourceException {
    JsonNode root;
    try {
      root = Kubeconfig.read(kubeconfig);
    } catch (IOException e) {
      throw new SourceException(ErrorKind.AUTH, "cannot read the kubeconfig " + kubeconfig + ": "
          + e.getMessage());
    }
    JsonNode token = Kubeconfig.named(root, "users", user).map(u -> u.path("token"))
        .orElse(MissingNode.getInstance());
    if (!token.isTextual() || token.asText().isBlank()) {
      throw new SourceException(ErrorKind.AUTH, "the kubeconfig " + kubeconfig
          + " has no token for user " + user);
    }
    return token.asText().strip();
  }

  /** Trusting the cluster's CA only; empty when the system's CAs are trusted. */
  Optional<X509TrustManager> trust() throws IOException, GeneralSecurityException {
    if (caData.isPresent()) {
      return Optional.of(trustOf(Base64.getMimeDecoder().decode(caData.get())));
    }
    return caFile.isPresent() ? Optional.of(trustOf(caFile.get())) : Optional.empty();
  }

  /** A trust manager for the certificates of a PEM file, the cluster's CA. */
  static X509TrustManager trustOf(Path caFile) throws IOException, GeneralSecurityException {
    return x509(Pem.trustManagers(caFile));
  }

  /** The same from the PEM bytes of a kubeconfig's {@code certificate-authority-data}. */
  static X509TrustManager trustOf(byte[] pem) throws GeneralSecurityException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Certificate certificate : CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem))) {
      certificates.add((X509Certificate) certificate);
    }
    if (certificates.isEmpty()) {
      throw new GeneralSecurityException("no certificate");
    }
    return x509(Pem.trustManagers(certificates));
  }

  private static X509TrustManager x509(TrustManager[] managers) throws GeneralSecurityException {
    for (TrustManager manager : managers) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager in this JVM");
  }
}

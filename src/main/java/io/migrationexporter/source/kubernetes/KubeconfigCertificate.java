package io.migrationexporter.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.web.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;

/**
 * A kubeconfig user's client certificate: {@code client-certificate} (a file, relative to the
 * kubeconfig) or {@code client-certificate-data} (base64 PEM), with {@code client-key} or
 * {@code client-key-data}: PEM, the key in PKCS#8, PKCS#1 (RSA) or SEC1 (EC). The TLS layer
 * presents it to the API server. Messages name the fields and files, never what they hold.
 *
 * @param identity the certificate's subject and serial number: what describes the source, and
 *     tells a renewed certificate from the one before
 * @param keys what presents it
 */
record KubeconfigCertificate(String identity, KeyManager[] keys) {
  /** A client certificate that cannot be used; the message says why in words safe to print. */
  static final class Unusable extends Exception {
    Unusable(String message) {
      super(message, null, false, false);
    }
  }

  /** The user's client certificate; empty when the user has none. */
  static Optional<KubeconfigCertificate> of(JsonNode user, Path kubeconfig) throws Unusable {
    boolean certificate = user.has("client-certificate") || user.has("client-certificate-data");
    boolean key = user.has("client-key") || user.has("client-key-data");
    if (!certificate && !key) {
      return Optional.empty();
    }
    if (certificate != key) {
      throw new Unusable(certificate ? "has a client certificate but no client-key(-data)"
          : "has a client-key but no client-certificate(-data)");
    }
    List<X509Certificate> chain;
    try {
      chain = Pem.certificates(pem(user, "client-certificate", kubeconfig));
    } catch (Pem.PemException e) {
      throw new Unusable("its client certificate cannot be read: " + e.getMessage());
    }
    X509Certificate own = chain.get(0);
    String subject = own.getSubjectX500Principal().getName();
    PrivateKey privateKey;
    try {
      privateKey = Pem.privateKey(pem(user, "client-key", kubeconfig),
          own.getPublicKey().getAlgorithm());
    } catch (Pem.PemException e) {
      throw new Unusable("its client key cannot be read: " + e.getMessage());
    }
    if (!Pem.belongsTo(privateKey, own)) {
      throw new Unusable("its client key does not belong to its client certificate " + subject);
    }
    try {
      return Optional.of(new KubeconfigCertificate(subject + " (serial "
          + own.getSerialNumber().toString(16) + ")", Pem.keyManagers(chain, privateKey)));
    } catch (GeneralSecurityException | IOException e) {
      throw new Unusable("its client certificate and key cannot be used for TLS ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** The PEM text of {@code field} (a file) or {@code field-data} (base64 in the kubeconfig). */
  private static String pem(JsonNode user, String field, Path kubeconfig) throws Unusable {
    JsonNode data = user.path(field + "-data");
    if (data.isTextual()) {
      try {
        return new String(Base64.getMimeDecoder().decode(data.asText()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new Unusable(field + "-data is not base64");
      }
    }
    JsonNode name = user.path(field);
    if (!name.isTextual() || name.asText().isBlank()) {
      throw new Unusable(field + " is not a file name");
    }
    Path file = kubeconfig.resolveSibling(name.asText());
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > Kubeconfig.LARGEST) {
        throw new Unusable(field + " " + file + " is not a regular file of at most 1 MiB");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Unusable("cannot read " + field + " " + file + " (" + e.getClass().getSimpleName()
          + ")");
    }
  }
}

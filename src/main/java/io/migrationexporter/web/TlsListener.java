package io.migrationexporter.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.xnio.SslClientAuthMode;

/**
 * {@code tls_server_config}: the SSL context and listener options of an HTTPS listener, built and
 * checked when the file is read, so that a wrong certificate, key or option stops the start with
 * a clear line instead of failing every handshake later.
 */
final class TlsListener {
  private static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";
  /** Go's names of TLS versions, as the exporter-toolkit writes them, in order. */
  private static final Map<String, String> VERSIONS = new LinkedHashMap<>();

  static {
    // Read by the JDK when the first server handshake happens, which comes after this class is
    // loaded: a client may not restart the handshake of a TLS 1.2 connection, over and over, at
    // the server's expense (TLS 1.3 has no renegotiation).
    if (System.getProperty(REJECT_RENEGOTIATION) == null) {
      System.setProperty(REJECT_RENEGOTIATION, "true");
    }
    VERSIONS.put("TLS10", "TLSv1");
    VERSIONS.put("TLS11", "TLSv1.1");
    VERSIONS.put("TLS12", "TLSv1.2");
    VERSIONS.put("TLS13", "TLSv1.3");
  }

  /** Go's client_auth_type values this exporter accepts, and what each asks of a client. */
  private enum ClientAuth {
    NoClientCert(SslClientAuthMode.NOT_REQUESTED, false, "not requested"),
    VerifyClientCertIfGiven(SslClientAuthMode.REQUESTED, true, "verified when given"),
    RequireAndVerifyClientCert(SslClientAuthMode.REQUIRED, true, "required and verified");

    final SslClientAuthMode mode;
    final boolean verifies;
    final String words;

    ClientAuth(SslClientAuthMode mode, boolean verifies, String words) {
      this.mode = mode;
      this.verifies = verifies;
      this.words = words;
    }
  }

  private final SSLContext context;
  private final SslClientAuthMode clientAuth;
  private final List<String> protocols;
  private final List<String> cipherSuites;
  private final String description;

  private TlsListener(SSLContext context, SslClientAuthMode clientAuth, List<String> protocols,
      List<String> cipherSuites, String description) {
    this.context = context;
    this.clientAuth = clientAuth;
    this.protocols = List.copyOf(protocols);
    this.cipherSuites = List.copyOf(cipherSuites);
    this.description = description;
  }

  SSLContext context() {
    return context;
  }

  SslClientAuthMode clientAuth() {
    return clientAuth;
  }

  List<String> protocols() {
    return protocols;
  }

  /** The suites to enable: the configured ones, else the JVM's AEAD suites. */
  List<String> cipherSuites() {
    return cipherSuites;
  }

  String describe() {
    return description;
  }

  /** Reads {@code tls_server_config}; file names are relative to {@code dir}, like the toolkit. */
  static TlsListener parse(YamlMap node, Path dir) {
    node.unsupported("client_allowed_sans", "give each client its own CA or put a reverse proxy"
        + " in front (see docs/security.md)");
    node.unsupported("curve_preferences", "set the JVM option -Djdk.tls.namedGroups instead");
    // Go ignores it since 1.18 (the server always picks); accepted so that toolkit files load.
    node.optBool("prefer_server_cipher_suites");
    String certificateText = pemText(node, "cert", "cert_file", dir, true);
    String keyText = pemText(node, "key", "key_file", dir, true);
    String caText = pemText(node, "client_ca", "client_ca_file", dir, false);
    ClientAuth clientAuth = clientAuth(node);
    List<String> versions = versions(node);
    List<String> suites = node.stringList("cipher_suites");
    node.finish();

    List<X509Certificate> chain;
    try {
      chain = Pem.certificates(certificateText);
    } catch (Pem.PemException e) {
      throw node.fail(keyOf(node, "cert", "cert_file"), e.getMessage());
    }
    X509Certificate leaf = chain.get(0);
    String algorithm = leaf.getPublicKey().getAlgorithm();
    PrivateKey key;
    try {
      key = Pem.privateKey(keyText, algorithm);
    } catch (Pem.PemException e) {
      throw node.fail(keyOf(node, "key", "key_file"), e.getMessage());
    }
    if (!Pem.belongsTo(key, leaf)) {
      throw node.fail(keyOf(node, "key", "key_file"), "the private key does not belong to the"
          + " certificate " + leaf.getSubjectX500Principal().getName());
    }
    List<X509Certificate> cas = List.of();
    if (caText != null) {
      try {
        cas = Pem.certificates(caText);
      } catch (Pem.PemException e) {
        throw node.fail(keyOf(node, "client_ca", "client_ca_file"), e.getMessage());
      }
    }
    if (clientAuth.verifies && cas.isEmpty()) {
      throw node.fail("client_auth_type", clientAuth + " needs client_ca_file, the CA that signs"
          + " the clients' certificates");
    }
    if (!clientAuth.verifies && !cas.isEmpty()) {
      throw node.fail(keyOf(node, "client_ca", "client_ca_file"), "client CAs are set but"
          + " client_auth_type is NoClientCert; set RequireAndVerifyClientCert");
    }

    SSLContext context;
    try {
      context = context(chain, key, cas);
    } catch (GeneralSecurityException | IOException e) {
      throw node.fail(keyOf(node, "cert", "cert_file"), "cannot build a TLS context from the"
          + " certificate and key (" + e.getClass().getSimpleName() + ")");
    }
    List<String> supportedProtocols = Arrays.asList(
        context.getSupportedSSLParameters().getProtocols());
    List<String> protocols = versions.stream().filter(supportedProtocols::contains).toList();
    if (protocols.isEmpty()) {
      throw node.fail("min_version", "this JVM supports none of " + versions);
    }
    List<String> enabledSuites = cipherSuites(node, suites, context, protocols);

    Instant notAfter = leaf.getNotAfter().toInstant();
    String description = "TLS (" + String.join(", ", protocols) + "), certificate "
        + leaf.getSubjectX500Principal().getName() + " (" + algorithm + ") valid until "
        + notAfter + (notAfter.isBefore(Instant.now()) ? " EXPIRED" : "")
        + (chain.size() > 1 ? " with " + (chain.size() - 1) + " chain certificates" : "")
        + ", client certificates " + clientAuth.words
        + (cas.isEmpty() ? "" : " against " + cas.size() + " CA certificates")
        + (suites.isEmpty() ? "" : ", " + enabledSuites.size() + " cipher suites");
    return new TlsListener(context, clientAuth.mode, protocols, enabledSuites, description);
  }

  /** The PEM text given inline under {@code inline} or in the file named by {@code fileKey}. */
  private static String pemText(YamlMap node, String inline, String fileKey, Path dir,
      boolean required) {
    boolean hasInline = node.has(inline);
    boolean hasFile = node.has(fileKey);
    if (hasInline && hasFile) {
      throw node.fail(fileKey, "set either " + inline + " or " + fileKey + ", not both");
    }
    if (hasInline) {
      return node.string(inline);
    }
    if (hasFile) {
      String name = node.string(fileKey);
      Path file;
      try {
        file = dir.resolve(name).normalize();
      } catch (InvalidPathException e) {
        throw node.fail(fileKey, "'" + name + "' is not a usable path: " + e.getReason());
      }
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw node.fail(fileKey, "cannot read file " + file);
      }
      try {
        return Files.readString(file, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw node.fail(fileKey, "cannot read file " + file + " (" + e.getClass().getSimpleName()
            + ")");
      }
    }
    if (required) {
      throw node.fail(fileKey, "missing: HTTPS needs " + fileKey + " (or " + inline + " inline)");
    }
    return null;
  }

  private static String keyOf(YamlMap node, String inline, String fileKey) {
    return node.has(inline) ? inline : fileKey;
  }

  private static ClientAuth clientAuth(YamlMap node) {
    String value = node.optString("client_auth_type").orElse("NoClientCert");
    for (ClientAuth auth : ClientAuth.values()) {
      if (auth.name().equals(value)) {
        return auth;
      }
    }
    if (value.equals("RequestClientCert") || value.equals("RequireAnyClientCert")) {
      throw node.fail("client_auth_type", value + " accepts any certificate without verifying"
          + " it and is not supported; use RequireAndVerifyClientCert with client_ca_file");
    }
    throw node.fail("client_auth_type", "'" + value + "' is not one of "
        + Arrays.toString(ClientAuth.values()));
  }

  /** The JSSE protocol names from min_version to max_version. */
  private static List<String> versions(YamlMap node) {
    List<String> names = new ArrayList<>(VERSIONS.keySet());
    int min = names.indexOf(version(node, "min_version", "TLS12"));
    int max = names.indexOf(version(node, "max_version", "TLS13"));
    if (min > max) {
      throw node.fail("min_version", "is above max_version");
    }
    return names.subList(min, max + 1).stream().map(VERSIONS::get).toList();
  }

  private static String version(YamlMap node, String key, String fallback) {
    String value = node.optString(key).orElse(fallback);
    if (!VERSIONS.containsKey(value)) {
      throw node.fail(key, "'" + value + "' is not one of " + String.join(", ", VERSIONS.keySet()));
    }
    return value;
  }

  /**
   * Go's cipher suite names are the IANA names JSSE uses, except that Go also knows the ChaCha20
   * suites without their "_SHA256". As in Go, the list governs TLS 1.2 and below; TLS 1.3 suites
   * stay enabled.
   */
  private static List<String> cipherSuites(YamlMap node, List<String> configured,
      SSLContext context, List<String> protocols) {
    if (configured.isEmpty()) {
      return aeadSuites(context);
    }
    List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
    List<String> enabled = new ArrayList<>();
    for (String name : configured) {
      String jsse = supported.contains(name) ? name : name + "_SHA256";
      if (!supported.contains(jsse)) {
        throw node.fail("cipher_suites", "'" + name + "' is not a cipher suite this JVM supports");
      }
      enabled.add(jsse);
    }
    if (protocols.contains("TLSv1.3")) {
      for (String suite : context.getDefaultSSLParameters().getCipherSuites()) {
        if ((suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_"))
            && !enabled.contains(suite)) {
          enabled.add(suite);
        }
      }
    }
    return enabled;
  }

  /**
   * The JVM's default suites that authenticate their encryption (AES-GCM, ChaCha20-Poly1305, and
   * all of TLS 1.3): no CBC with SHA-1 MACs, as in Go's defaults for TLS 1.2.
   */
  private static List<String> aeadSuites(SSLContext context) {
    return Arrays.stream(context.getDefaultSSLParameters().getCipherSuites())
        .filter(suite -> suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305")
            || suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")
            || suite.equals("TLS_EMPTY_RENEGOTIATION_INFO_SCSV"))
        .toList();
  }

  /** Proves that the key belongs to the certificate: sign with one, verify with the other. */
  private static SSLContext context(List<X509Certificate> chain, PrivateKey key,
      List<X509Certificate> cas) throws GeneralSecurityException, IOException {
    TrustManager[] trustManagers = cas.isEmpty() ? null : Pem.trustManagers(cas);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(Pem.keyManagers(chain, key), trustManagers, null);
    return context;
  }
}

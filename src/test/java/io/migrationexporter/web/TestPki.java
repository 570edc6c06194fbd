package io.migrationexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and keys made at test time by openssl, an implementation independent of the one
 * under test, in every format the exporter reads; and client SSL contexts built from them with
 * the JDK's own PKCS#12 and X.509 readers.
 */
public final class TestPki {
  private final Path dir;

  public TestPki(Path dir) {
    this.dir = dir;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  /**
   * A self-signed server certificate for 127.0.0.1 with an "rsa" or "ec" (P-256) key:
   * {@code name.crt} and a PKCS#8 {@code name.key}.
   */
  public TestPki server(String name, String keyType) throws Exception {
    List<String> args = new ArrayList<>(List.of("req", "-x509", "-newkey"));
    args.addAll(newKey(keyType));
    args.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".crt", "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
    openssl(args.toArray(new String[0]));
    return this;
  }

  /** A server's TLS context from {@link #server}'s {@code name.crt} and {@code name.key}. */
  public SSLContext serverContext(String name) throws Exception {
    return serverContext(name, null);
  }

  /**
   * The same, trusting the client certificates {@code clientCa} ({@link #authority}) signs, or
   * the JVM's CAs when null.
   */
  public SSLContext serverContext(String name, String clientCa) throws Exception {
    openssl("pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out",
        name + ".server.p12", "-passout", "pass:test");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file(name + ".server.p12"))) {
      store.load(in, "test".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "test".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    TrustManagerFactory trust = null;
    if (clientCa != null) {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      try (InputStream in = Files.newInputStream(file(clientCa + ".crt"))) {
        trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
            .generateCertificate(in));
      }
      trust = TrustManagerFactory.getInstance("PKIX");
      trust.init(trusted);
    }
    context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
    return context;
  }

  /** {@code name.traditional.key}: PKCS#1 for RSA, SEC1 for EC. */
  public TestPki traditional(String name) throws Exception {
    openssl("pkey", "-in", name + ".key", "-traditional", "-out", name + ".traditional.key");
    return this;
  }

  /** A CA ({@code name.crt}, {@code name.key}). */
  public TestPki authority(String name) throws Exception {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + name);
    return this;
  }

  /** A client certificate signed by {@code ca}, as {@code name.p12} with password "test". */
  TestPki client(String name, String ca) throws Exception {
    return client(name, ca, "ec");
  }

  /**
   * The same with an "rsa" or "ec" key; also {@code name.crt} and a PKCS#8 {@code name.key}, as
   * a kubeconfig names them.
   */
  public TestPki client(String name, String ca, String keyType) throws Exception {
    List<String> args = new ArrayList<>(List.of("req", "-new", "-newkey"));
    args.addAll(newKey(keyType));
    args.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj",
        "/CN=" + name));
    openssl(args.toArray(new String[0]));
    openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
        "-CAcreateserial", "-out", name + ".crt", "-days", "2");
    openssl("pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out",
        name + ".p12", "-passout", "pass:test");
    return this;
  }

  /** openssl's arguments after -newkey for an "rsa" (2048 bits) or "ec" (P-256) key. */
  private static List<String> newKey(String keyType) {
    return keyType.equals("rsa") ? List.of("rsa:2048")
        : List.of("ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
  }

  private void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new AssertionError("the TLS tests need openssl (apt-get install openssl)", e);
    }
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": "
        + new String(output, StandardCharsets.UTF_8)).isZero();
  }

  /** Trusts exactly the certificate in {@code crt}; presents {@code p12} when given. */
  public SSLContext clientContext(String crt, String p12) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(file(crt))) {
      trusted.setCertificateEntry("server", (X509Certificate) CertificateFactory
          .getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    trust.init(trusted);
    KeyManagerFactory keys = null;
    if (p12 != null) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file(p12))) {
        store.load(in, "test".toCharArray());
      }
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, "test".toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }
}

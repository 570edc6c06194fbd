package io.migrationexporter.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * PEM certificates and private keys with the JDK alone (BouncyCastle is 8 MB): PKCS#8
 * ({@code PRIVATE KEY}) directly, PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1
 * ({@code EC PRIVATE KEY}) by wrapping them into PKCS#8 with a few bytes of DER. Messages never
 * quote the file's content.
 */
public final class Pem {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  /** 1.2.840.113549.1.1.1, rsaEncryption. */
  private static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
      (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
  /** 1.2.840.10045.2.1, id-ecPublicKey. */
  private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48,
      (byte) 0xce, 0x3d, 0x02, 0x01};
  private static final byte[] NULL = {0x05, 0x00};
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  /** A PEM file that cannot be used; the message says why in words safe to print. */
  public static final class PemException extends Exception {
    PemException(String message) {
      super(message, null, false, false);
    }
  }

  private record Block(String type, byte[] der) {}

  private Pem() {}

  private static List<Block> blocks(String text) throws PemException {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      try {
        blocks.add(new Block(matcher.group(1),
            Base64.getMimeDecoder().decode(matcher.group(2).replaceAll("\\s", ""))));
      } catch (IllegalArgumentException e) {
        throw new PemException("a " + matcher.group(1) + " block is not valid base64");
      }
    }
    if (blocks.isEmpty()) {
      throw new PemException("no PEM block (-----BEGIN ...-----) found");
    }
    return blocks;
  }

  /** Whether {@code key} is the private half of {@code certificate}'s: it signs, it verifies. */
  public static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Key managers presenting {@code chain} (its own certificate first) with {@code key}. */
  public static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key)
      throws GeneralSecurityException, IOException {
    // The key store only carries the key to the key manager, in memory; any password will do.
    char[] password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("own", key, password, chain.toArray(new X509Certificate[0]));
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(
        KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, password);
    return keyManagers.getKeyManagers();
  }

  /**
   * Trust managers that trust exactly {@code cas}: for client certificates, for the HTTP checks'
   * {@code ca-file}, for the CLI talking to an exporter with its own CA.
   */
  public static TrustManager[] trustManagers(List<X509Certificate> cas)
      throws GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try {
      trusted.load(null, null);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("an empty in-memory key store cannot fail to load", e);
    }
    for (int i = 0; i < cas.size(); i++) {
      trusted.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(trusted);
    return factory.getTrustManagers();
  }

  /** The same from a PEM file of CA certificates. */
  public static TrustManager[] trustManagers(Path pemFile)
      throws java.io.IOException, GeneralSecurityException {
    try {
      return trustManagers(certificates(Files.readString(pemFile, StandardCharsets.US_ASCII)));
    } catch (PemException e) {
      throw new GeneralSecurityException(pemFile + ": " + e.getMessage());
    }
  }

  /** Every CERTIFICATE block, in order: the server's own certificate first, then its chain. */
  public static List<X509Certificate> certificates(String text) throws PemException {
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("X.509 is part of every JDK", e);
    }
    for (Block block : blocks(text)) {
      if (!block.type().equals("CERTIFICATE")) {
        continue;
      }
      try {
        certificates.add((X509Certificate) factory.generateCertificate(
            new ByteArrayInputStream(block.der())));
      } catch (CertificateException e) {
        throw new PemException("certificate " + (certificates.size() + 1) + " cannot be parsed");
      }
    }
    if (certificates.isEmpty()) {
      throw new PemException("no CERTIFICATE block found");
    }
    return certificates;
  }

  /**
   * The first private key of the text, read as a key of {@code algorithm} ("RSA", "EC", "EdDSA"),
   * the algorithm of the certificate it belongs to.
   */
  public static PrivateKey privateKey(String text, String algorithm) throws PemException {
    for (Block block : blocks(text)) {
      byte[] pkcs8 = switch (block.type()) {
        case "PRIVATE KEY" -> block.der();
        case "RSA PRIVATE KEY" -> sequence(VERSION_0, sequence(RSA_ENCRYPTION, NULL),
            octetString(block.der()));
        case "EC PRIVATE KEY" -> sequence(VERSION_0, sequence(EC_PUBLIC_KEY, curveOf(block.der())),
            octetString(block.der()));
        case "ENCRYPTED PRIVATE KEY" -> throw new PemException("the private key is encrypted;"
            + " store it unencrypted (openssl pkcs8 -topk8 -nocrypt) with file permissions"
            + " that only the exporter can read");
        default -> null;
      };
      if (pkcs8 == null) {
        continue;
      }
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        throw new PemException("the " + block.type() + " is not a valid " + algorithm
            + " key, the type of the certificate's key");
      }
    }
    throw new PemException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found");
  }

  /**
   * The named curve of a SEC1 ECPrivateKey: SEQUENCE { version, privateKey OCTET STRING,
   * [0] parameters OBJECT IDENTIFIER, [1] publicKey }, returned as the OID's own DER.
   */
  private static byte[] curveOf(byte[] sec1) throws PemException {
    try {
      Der outer = new Der(sec1, 0);
      if (outer.tag != 0x30) {
        throw new PemException("the EC PRIVATE KEY is not a DER sequence");
      }
      int at = outer.contentStart;
      while (at < outer.end) {
        Der element = new Der(sec1, at);
        if (element.tag == (byte) 0xa0) {
          Der oid = new Der(sec1, element.contentStart);
          if (oid.tag != 0x06) {
            break;
          }
          return Arrays.copyOfRange(sec1, element.contentStart, oid.end);
        }
        at = element.end;
      }
    } catch (IndexOutOfBoundsException e) {
      throw new PemException("the EC PRIVATE KEY is truncated");
    }
    throw new PemException("the EC PRIVATE KEY does not name its curve; convert it to PKCS#8"
        + " (openssl pkcs8 -topk8 -nocrypt)");
  }

  /** One DER element's tag and bounds; definite lengths only, as DER requires. */
  private static final class Der {
    final byte tag;
    final int contentStart;
    final int end;

    Der(byte[] data, int offset) throws PemException {
      tag = data[offset];
      int first = data[offset + 1] & 0xff;
      int length;
      int start;
      if (first < 0x80) {
        length = first;
        start = offset + 2;
      } else {
        int count = first & 0x7f;
        if (count == 0 || count > 3) {
          throw new PemException("the key's DER has an unsupported length");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (data[offset + 2 + i] & 0xff);
        }
        start = offset + 2 + count;
      }
      if (start + length > data.length) {
        throw new IndexOutOfBoundsException();
      }
      contentStart = start;
      end = start + length;
    }
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    return element(0x30, content.toByteArray());
  }

  private static byte[] octetString(byte[] content) {
    return element(0x04, content);
  }

  private static byte[] element(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}

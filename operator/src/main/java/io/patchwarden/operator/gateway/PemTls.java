package io.patchwarden.operator.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An SSLContext from the PEM files of a Kubernetes TLS Secret ({@code tls.crt}, {@code tls.key}) as
 * mounted into the pod. The key must be PKCS#8 ({@code BEGIN PRIVATE KEY}; cert-manager: {@code
 * privateKey.encoding: PKCS8}), RSA or EC.
 */
final class PemTls {
  private static final char[] NO_PASSWORD = new char[0];

  private PemTls() {}

  static SSLContext sslContext(Path certificateChain, Path privateKey) throws IOException {
    try {
      List<? extends Certificate> chain;
      try (InputStream in = Files.newInputStream(certificateChain)) {
        chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      if (chain.isEmpty()) {
        throw new IOException(certificateChain + " holds no certificate");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("gateway", key(privateKey), NO_PASSWORD, chain.toArray(new Certificate[0]));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, NO_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the TLS certificate/key: " + e.getMessage(), e);
    }
  }

  private static PrivateKey key(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file);
    String begin = "-----BEGIN PRIVATE KEY-----";
    int start = pem.indexOf(begin);
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (start < 0 || end < 0) {
      throw new IOException(
          file
              + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY); convert it with"
              + " `openssl pkcs8 -topk8 -nocrypt`");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end).trim());
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException(file + " holds a key of an unsupported algorithm (use RSA or EC)");
  }
}

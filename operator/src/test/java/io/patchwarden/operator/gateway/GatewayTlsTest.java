package io.patchwarden.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway serves HTTPS from the PEM files of a Kubernetes TLS Secret. */
class GatewayTlsTest {

  @Test
  void servesTheProtocolOverTlsWithAMountedCertificate(@TempDir Path dir) throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    X509Certificate certificate = selfSigned(keys);
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));

    GatewaySettings settings =
        GatewaySettings.defaults().withPort(0).withTls(cert.toString(), key.toString());
    AgentGateway gateway =
        new AgentGateway(new InMemoryEndpointStore(), settings, Clock.systemUTC());
    try (GatewayServer server = GatewayServer.start(gateway, settings, new SimpleMeterRegistry())) {
      URI uri = URI.create("https://localhost:" + server.port() + "/agent/v1/checkin");
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build();

      HttpResponse<String> response =
          HttpClient.newBuilder()
              .sslContext(trusting(certificate))
              .build()
              .send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).contains("\"unauthorized\"");

      assertThatThrownBy(
              () -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
          .as("a client that does not trust the certificate")
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void aKeyThatIsNotPkcs8IsRefusedWithAnActionableMessage(@TempDir Path dir) throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.writeString(cert, pem("CERTIFICATE", selfSigned(keys).getEncoded()));
    Files.writeString(
        key, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemTls.sslContext(cert, key))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("PKCS#8")
        .hasMessageContaining("openssl pkcs8");
  }

  private static X509Certificate selfSigned(KeyPair keys) throws Exception {
    X500Name subject = new X500Name("CN=localhost");
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                subject,
                keys.getPublic())
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
    byte[] der =
        builder
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()))
            .getEncoded();
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static SSLContext trusting(X509Certificate certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("gateway", certificate);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}

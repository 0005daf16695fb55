package io.patchwarden.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.patchwarden.agent.gateway.HttpGatewayClient;
import io.patchwarden.agent.gateway.TlsTrust;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.common.OsFamily;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent talks only to the configured gateway (docs/security.md, "trust model of the agent"):
 * the real agent client ({@link HttpGatewayClient} with {@link TlsTrust}, as {@code
 * patchwarden-agent enroll --ca-cert} builds it) against the real gateway over TLS. Pinned to the
 * gateway's private CA it enrolls; pinned to another CA, with the JDK's public CAs, or shown a
 * certificate of that CA for another host name, the handshake fails before a byte of the request
 * (the enrollment token) is sent: the gateway enrolls nothing.
 */
class AgentTlsPinningTest {
  private static final String TOKEN = "tls-pinning-token-0123456789abcdef";

  @Test
  void theAgentEnrollsOnlyWithTheGatewayItsPinnedCaVouchesFor(@TempDir Path dir) throws Exception {
    KeyPair caKeys = keys();
    X509Certificate ca =
        certificate("CN=Patchwarden test CA", caKeys, "CN=Patchwarden test CA", caKeys, null, true);
    KeyPair otherKeys = keys();
    X509Certificate otherCa =
        certificate(
            "CN=Someone else's CA", otherKeys, "CN=Someone else's CA", otherKeys, null, true);
    Path caFile = write(dir.resolve("ca.crt"), GatewayTlsTest.pem("CERTIFICATE", ca.getEncoded()));
    Path otherCaFile =
        write(dir.resolve("other.crt"), GatewayTlsTest.pem("CERTIFICATE", otherCa.getEncoded()));

    // The gateway's certificate, from its CA, for localhost.
    KeyPair gatewayKeys = keys();
    X509Certificate forLocalhost =
        certificate(
            "CN=localhost", gatewayKeys, "CN=Patchwarden test CA", caKeys, "localhost", false);
    Path cert =
        write(dir.resolve("tls.crt"), GatewayTlsTest.pem("CERTIFICATE", forLocalhost.getEncoded()));
    Path key =
        write(
            dir.resolve("tls.key"),
            GatewayTlsTest.pem("PRIVATE KEY", gatewayKeys.getPrivate().getEncoded()));

    InMemoryEndpointStore store = new InMemoryEndpointStore();
    store.tokens.add(new EnrollmentToken("office", "laptops", TOKEN, null, Map.of()));
    GatewaySettings settings =
        GatewaySettings.defaults().withPort(0).withTls(cert.toString(), key.toString());
    AgentGateway gateway = new AgentGateway(store, settings, Clock.systemUTC());
    try (GatewayServer server = GatewayServer.start(gateway, settings, new SimpleMeterRegistry())) {
      URI url = URI.create("https://localhost:" + server.port());

      // Another CA pinned, or none (the JDK's public CAs): refused, nothing sent.
      for (SSLContext wrongTrust : new SSLContext[] {TlsTrust.fromPem(otherCaFile), null}) {
        assertThatThrownBy(() -> enroll(url, wrongTrust, "machine-0000-0001"))
            .satisfies(
                e -> assertThat(causes(e)).anyMatch(SSLHandshakeException.class::isInstance));
      }
      assertThat(store.endpoints).as("no request reached the gateway").isEmpty();

      // The pinned CA: enrolled.
      EnrollResponse enrolled = enroll(url, TlsTrust.fromPem(caFile), "machine-0000-0002");
      assertThat(enrolled.credential()).startsWith("pw1.");
      assertThat(store.endpoints).hasSize(1);
    }

    // A certificate of the pinned CA, but for another host: host names are still verified.
    X509Certificate forAnotherHost =
        certificate(
            "CN=gateway.example",
            gatewayKeys,
            "CN=Patchwarden test CA",
            caKeys,
            "gateway.example",
            false);
    Files.writeString(cert, GatewayTlsTest.pem("CERTIFICATE", forAnotherHost.getEncoded()));
    try (GatewayServer server = GatewayServer.start(gateway, settings, new SimpleMeterRegistry())) {
      URI url = URI.create("https://localhost:" + server.port());
      assertThatThrownBy(() -> enroll(url, TlsTrust.fromPem(caFile), "machine-0000-0003"))
          .satisfies(e -> assertThat(causes(e)).anyMatch(SSLHandshakeException.class::isInstance));
      assertThat(store.endpoints).hasSize(1);
    }
  }

  @Test
  void aCaFileWithoutACertificateIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path empty = write(dir.resolve("ca.crt"), "not a certificate\n");

    assertThatThrownBy(() -> TlsTrust.fromPem(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.toString());
  }

  private static EnrollResponse enroll(URI gateway, SSLContext trust, String machineId)
      throws Exception {
    HttpGatewayClient client =
        new HttpGatewayClient(
            gateway,
            HttpGatewayClient.httpClient(trust, null),
            Duration.ofSeconds(10),
            Clock.systemUTC());
    return client
        .enroll(
            new EnrollRequest(
                TOKEN,
                machineId,
                "pc",
                OsFamily.Debian,
                "Debian",
                "12",
                "amd64",
                "Europe/Berlin",
                "test",
                Map.of()))
        .get(20, TimeUnit.SECONDS);
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(
      String subject,
      KeyPair subjectKeys,
      String issuer,
      KeyPair issuerKeys,
      String dnsName,
      boolean ca)
      throws Exception {
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
                new X500Name(issuer),
                BigInteger.valueOf(System.nanoTime()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                new X500Name(subject),
                subjectKeys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (dnsName != null) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    }
    byte[] der =
        builder
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate()))
            .getEncoded();
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static Path write(Path file, String text) throws Exception {
    return Files.writeString(file, text);
  }
}

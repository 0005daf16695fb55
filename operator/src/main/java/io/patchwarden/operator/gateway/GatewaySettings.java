package io.patchwarden.operator.gateway;

import java.time.Duration;

/**
 * How the agent gateway runs.
 *
 * @param enabled whether to serve at all
 * @param address bind address
 * @param port port (0 picks a free one)
 * @param tlsCertificate PEM certificate chain file; null serves plain HTTP (development only)
 * @param tlsKey PEM PKCS#8 private key file
 * @param checkinInterval how often agents check in
 * @param lastSeenRefresh how stale {@code status.lastSeen} may get before an unchanged check-in
 *     refreshes it
 * @param maxBodyBytes larger request bodies get 413
 * @param requestsPerSecond sustained requests per endpoint (and enrollments per client address)
 * @param burst requests allowed at once above the sustained rate
 * @param threads request threads
 */
public record GatewaySettings(
    boolean enabled,
    String address,
    int port,
    String tlsCertificate,
    String tlsKey,
    Duration checkinInterval,
    Duration lastSeenRefresh,
    int maxBodyBytes,
    double requestsPerSecond,
    int burst,
    int threads) {

  public static GatewaySettings defaults() {
    return new GatewaySettings(
        true,
        "0.0.0.0",
        8443,
        null,
        null,
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        1024 * 1024,
        1.0,
        10,
        16);
  }

  public boolean tls() {
    return tlsCertificate != null;
  }

  public GatewaySettings withPort(int value) {
    return new GatewaySettings(
        enabled,
        address,
        value,
        tlsCertificate,
        tlsKey,
        checkinInterval,
        lastSeenRefresh,
        maxBodyBytes,
        requestsPerSecond,
        burst,
        threads);
  }

  public GatewaySettings withLimits(int bodyBytes, double perSecond, int burstSize) {
    return new GatewaySettings(
        enabled,
        address,
        port,
        tlsCertificate,
        tlsKey,
        checkinInterval,
        lastSeenRefresh,
        bodyBytes,
        perSecond,
        burstSize,
        threads);
  }

  public GatewaySettings withIntervals(Duration checkin, Duration lastSeen) {
    return new GatewaySettings(
        enabled,
        address,
        port,
        tlsCertificate,
        tlsKey,
        checkin,
        lastSeen,
        maxBodyBytes,
        requestsPerSecond,
        burst,
        threads);
  }

  public GatewaySettings withTls(String certificate, String key) {
    return new GatewaySettings(
        enabled,
        address,
        port,
        certificate,
        key,
        checkinInterval,
        lastSeenRefresh,
        maxBodyBytes,
        requestsPerSecond,
        burst,
        threads);
  }
}

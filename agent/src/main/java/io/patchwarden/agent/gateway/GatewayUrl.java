package io.patchwarden.agent.gateway;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The gateway URL an agent enrolls with. The enrollment token and, later, the credential travel in
 * every request, so the URL must be {@code https}: over plain HTTP anyone on the path could read
 * them, and nothing proves the answer came from the gateway. Plain HTTP is accepted only to a
 * loopback address (a gateway on the same machine, a port-forward, tests) or when the operator of
 * the agent asks for it explicitly.
 */
public final class GatewayUrl {
  private GatewayUrl() {}

  /**
   * {@code gateway} if it is acceptable; otherwise an {@link IllegalArgumentException} saying why.
   *
   * @param allowInsecureHttp plain HTTP to any host (the {@code --insecure-http} option)
   */
  public static URI checked(URI gateway, boolean allowInsecureHttp) {
    String scheme = gateway.getScheme() == null ? "" : gateway.getScheme().toLowerCase(Locale.ROOT);
    if (gateway.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException(
          "'" + gateway + "' is not a gateway URL: use https://host[:port]");
    }
    if (gateway.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "'" + gateway + "': a gateway URL carries no user name or password");
    }
    if (scheme.equals("http") && !allowInsecureHttp && !isLoopback(gateway.getHost())) {
      throw new IllegalArgumentException(
          "'"
              + gateway
              + "' is plain HTTP: the enrollment token and the credential would cross the network"
              + " readable by anyone. Use https:// (with --ca-cert for a private CA), or"
              + " --insecure-http if you really mean it");
    }
    return gateway;
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Literal addresses only: a name is not resolved here (DNS could say anything).
    if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

package io.patchwarden.agent.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Enrollment sends the token, so the gateway URL must be HTTPS except to this very machine. */
class GatewayUrlTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://patchwarden.example.com:8443",
        "HTTPS://patchwarden.example.com",
        "https://10.0.0.5:8443/",
        "http://localhost:8443",
        "http://127.0.0.1:8443",
        "http://127.1.2.3",
        "http://[::1]:8443"
      })
  void acceptsHttpsAndLoopbackHttp(String url) {
    assertThat(GatewayUrl.checked(URI.create(url), false)).isEqualTo(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://patchwarden.example.com:8443",
        "http://10.0.0.5:8443",
        // A name that merely starts like a loopback address is not resolved, and not loopback.
        "http://127.0.0.1.attacker.example",
        "http://localhost.attacker.example"
      })
  void refusesPlainHttpElsewhereUnlessAskedFor(String url) {
    assertThatThrownBy(() -> GatewayUrl.checked(URI.create(url), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("plain HTTP")
        .hasMessageContaining("--insecure-http");
    assertThat(GatewayUrl.checked(URI.create(url), true)).isEqualTo(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ftp://patchwarden.example.com", "patchwarden.example.com:8443", "https:///x"})
  void refusesWhatIsNotAGatewayUrl(String url) {
    assertThatThrownBy(() -> GatewayUrl.checked(URI.create(url), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use https://host[:port]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://admin:secret@patchwarden.example.com"})
  void refusesCredentialsInTheUrl(String url) {
    assertThatThrownBy(() -> GatewayUrl.checked(URI.create(url), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no user name or password");
  }
}

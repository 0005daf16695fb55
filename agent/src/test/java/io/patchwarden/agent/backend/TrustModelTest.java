package io.patchwarden.agent.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's trust model (docs/security.md) in its sources: it installs only from the sources the
 * OS already trusts, so no agent code adds a repository or a signing key, turns off signature
 * checks, or downloads a package; and only the gateway client (and the load simulator, which drives
 * the same client) opens network connections. The behaviour on hostile assignments (option
 * injection, local package files) is shown in AptBackendTest and DnfBackendTest.
 */
class TrustModelTest {
  private static final Path SOURCES = Path.of("src/main/java/io/patchwarden/agent");

  /** Each forbidden text and what it would do. */
  private static final Map<String, String> FORBIDDEN =
      Map.ofEntries(
          Map.entry("sources.list", "add an apt source"),
          Map.entry("add-apt-repository", "add an apt source"),
          Map.entry("apt-key", "trust a new apt signing key"),
          Map.entry("trusted.gpg", "trust a new apt signing key"),
          Map.entry("allowunauthenticated", "install unsigned apt packages"),
          Map.entry("allow-unauthenticated", "install unsigned apt packages"),
          Map.entry("allow-insecure-repositories", "use unsigned apt sources"),
          Map.entry("force-yes", "install unsigned apt packages"),
          Map.entry("yum.repos.d", "add a yum/dnf repository"),
          Map.entry("config-manager", "add a yum/dnf repository"),
          Map.entry("repofrompath", "add a yum/dnf repository"),
          Map.entry("enablerepo", "enable a repository the admin disabled"),
          Map.entry("nogpgcheck", "install unsigned rpm packages"),
          Map.entry("gpgcheck", "change rpm signature checking"),
          Map.entry("rpm --import", "trust a new rpm signing key"),
          Map.entry("\"--import\"", "trust a new rpm signing key"),
          Map.entry("\"dpkg\", \"-i\"", "install a package file"),
          Map.entry("\"rpm\", \"-i", "install a package file"),
          Map.entry("\"curl\"", "download something"),
          Map.entry("\"wget\"", "download something"));

  @Test
  void noAgentCodeAddsSourcesDisablesSignaturesOrDownloadsPackages() throws IOException {
    List<Path> files = javaFiles();
    assertThat(files).hasSizeGreaterThan(20);
    for (Path file : files) {
      String text = Files.readString(file).toLowerCase(Locale.ROOT);
      FORBIDDEN.forEach(
          (needle, meaning) ->
              assertThat(text)
                  .as("%s would %s (%s)", SOURCES.relativize(file), meaning, needle)
                  .doesNotContain(needle.toLowerCase(Locale.ROOT)));
    }
  }

  @Test
  void onlyTheGatewayClientOpensNetworkConnections() throws IOException {
    List<String> network =
        List.of(
            "java.net.http", "java.net.URL;", "URLConnection", "java.net.Socket", "openStream(");
    for (Path file : javaFiles()) {
      String relative = SOURCES.relativize(file).toString().replace('\\', '/');
      if (relative.startsWith("gateway/") || relative.startsWith("simulator/")) {
        continue;
      }
      String text = Files.readString(file);
      for (String needle : network) {
        assertThat(text).as("%s uses %s", relative, needle).doesNotContain(needle);
      }
    }
    assertThat(Files.readString(SOURCES.resolve("gateway/HttpGatewayClient.java")))
        .as("the scan looks at the right files")
        .contains("java.net.http");
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}

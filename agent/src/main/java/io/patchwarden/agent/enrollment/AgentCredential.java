package io.patchwarden.agent.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.patchwarden.agent.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What enrollment leaves on the machine: where the gateway is and who this endpoint is there.
 *
 * @param gateway the gateway's base URL
 * @param namespace namespace of the ManagedEndpoint
 * @param name name of the ManagedEndpoint
 * @param credential the per-endpoint bearer credential
 * @param caCert PEM file of the CA the gateway's certificate is checked against, if not the JDK's
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentCredential(
    String gateway, String namespace, String name, String credential, String caCert) {

  public static final Path DEFAULT_FILE = Path.of("/etc/patchwarden/agent.json");

  /** Stored with mode 0600: whoever can read it can act as this endpoint. */
  public void write(Path file) throws IOException {
    PrivateFiles.write(file, Json.PRETTY.writeValueAsBytes(this));
  }

  public static AgentCredential read(Path file) throws IOException {
    AgentCredential c;
    try {
      c = Json.MAPPER.readValue(Files.readAllBytes(file), AgentCredential.class);
    } catch (NoSuchFileException e) {
      throw new IOException(file + " does not exist; enroll this machine first", e);
    }
    if (c.gateway() == null || c.credential() == null) {
      throw new IOException(file + " lacks the gateway or the credential; enroll again");
    }
    return c;
  }

  /** Never the credential itself: toString ends up in logs. */
  @Override
  public String toString() {
    return "AgentCredential[" + namespace + "/" + name + " at " + gateway + "]";
  }
}

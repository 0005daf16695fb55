package io.patchwarden.agent.enrollment;

import io.patchwarden.agent.AgentVersion;
import io.patchwarden.agent.backend.HostFacts;
import io.patchwarden.agent.gateway.GatewayClient;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.EnrollResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Enrolls this machine and keeps the credential it gets. */
public final class Enroller {

  private final GatewayClient gateway;
  private final Path machineIdFile;

  public Enroller(GatewayClient gateway, Path machineIdFile) {
    this.gateway = gateway;
    this.machineIdFile = machineIdFile;
  }

  /**
   * @param gatewayUrl stored with the credential, so {@code run} needs no options
   * @param token the namespace's enrollment token
   * @param facts what the gateway records about the machine
   * @param labels labels proposed for the endpoint
   * @param credentialFile where the credential goes (mode 0600)
   * @param caCert the CA file to keep using for the gateway, or null
   */
  public AgentCredential enroll(
      URI gatewayUrl,
      String token,
      HostFacts facts,
      Map<String, String> labels,
      Path credentialFile,
      Path caCert)
      throws IOException, InterruptedException {
    String machineId =
        MachineId.resolve(machineIdFile, credentialFile.resolveSibling("machine-id"));
    EnrollRequest request =
        new EnrollRequest(
            token,
            machineId,
            facts.hostname(),
            facts.osFamily(),
            facts.osName(),
            facts.osVersion(),
            facts.architecture(),
            facts.timeZone(),
            AgentVersion.get(),
            labels == null || labels.isEmpty() ? null : labels);
    EnrollResponse response = GatewayClient.await(gateway.enroll(request));
    AgentCredential credential =
        new AgentCredential(
            gatewayUrl.toString(),
            response.namespace(),
            response.name(),
            response.credential(),
            caCert == null ? null : caCert.toAbsolutePath().toString());
    credential.write(credentialFile);
    return credential;
  }
}

package io.patchwarden.agent.cli;

import io.patchwarden.agent.backend.HostFacts;
import io.patchwarden.agent.enrollment.AgentCredential;
import io.patchwarden.agent.enrollment.Enroller;
import io.patchwarden.agent.enrollment.MachineId;
import io.patchwarden.agent.gateway.GatewayUrl;
import io.patchwarden.agent.gateway.HttpGatewayClient;
import io.patchwarden.agent.gateway.TlsTrust;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    description = {
      "Enrolls this machine with the gateway and stores its credential (mode 0600).",
      "Example: patchwarden-agent enroll --gateway https://patchwarden.example.com:8443"
          + " --token \"$TOKEN\" --labels patchwarden.io/role=laptop"
    })
final class EnrollCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--gateway", required = true, description = "The gateway's base URL.")
  URI gateway;

  @Option(
      names = "--token",
      defaultValue = "${env:PATCHWARDEN_TOKEN}",
      description =
          "The namespace's enrollment token (default: $PATCHWARDEN_TOKEN, which keeps it out of"
              + " the process list).")
  String token;

  @Option(
      names = "--labels",
      split = ",",
      paramLabel = "KEY=VALUE",
      description = "Labels to propose for the endpoint, e.g. patchwarden.io/role=laptop.")
  Map<String, String> labels;

  @Option(
      names = "--credential-file",
      defaultValue = "/etc/patchwarden/agent.json",
      description = "Where to store the credential (default: ${DEFAULT-VALUE}).")
  Path credentialFile;

  @Option(
      names = "--ca-cert",
      description = "PEM file of the CA that signed the gateway's certificate, if not public.")
  Path caCert;

  @Option(
      names = "--insecure-http",
      description =
          "Allow a plain http:// gateway URL to a host other than localhost (the token and the"
              + " credential then cross the network unencrypted; not recommended).")
  boolean insecureHttp;

  @Option(names = "--machine-id-file", defaultValue = "/etc/machine-id", hidden = true)
  Path machineIdFile = MachineId.SYSTEM_FILE;

  @Override
  public Integer call() throws Exception {
    if (token == null || token.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing enrollment token: pass --token or set PATCHWARDEN_TOKEN");
    }
    try {
      GatewayUrl.checked(gateway, insecureHttp);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--gateway " + e.getMessage());
    }
    HttpGatewayClient client =
        HttpGatewayClient.create(gateway, caCert == null ? null : TlsTrust.fromPem(caCert));
    AgentCredential credential =
        new Enroller(client, machineIdFile)
            .enroll(gateway, token, HostFacts.detect(), labels, credentialFile, caCert);
    spec.commandLine()
        .getOut()
        .printf(
            "Enrolled as %s/%s; credential stored in %s%n",
            credential.namespace(), credential.name(), credentialFile);
    return 0;
  }
}

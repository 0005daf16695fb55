package io.patchwarden.agent.cli;

import io.patchwarden.agent.backend.BackendKind;
import io.patchwarden.agent.enrollment.AgentCredential;
import io.patchwarden.agent.gateway.HttpGatewayClient;
import io.patchwarden.agent.gateway.TlsTrust;
import io.patchwarden.agent.loop.AgentLoop;
import io.patchwarden.agent.loop.RunStateStore;
import io.patchwarden.agent.loop.Sleeper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Checks in periodically, installs assigned updates before their deadline, reports results.",
      "Example: patchwarden-agent run   (as a systemd service; see README)"
    })
final class RunCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--credential-file",
      defaultValue = "/etc/patchwarden/agent.json",
      description = "The credential written by enroll (default: ${DEFAULT-VALUE}).")
  Path credentialFile;

  @Option(
      names = "--state-file",
      description =
          "Where the agent remembers reported runs (default: agent-state.json next to"
              + " the credential file).")
  Path stateFile;

  @Option(
      names = "--backend",
      defaultValue = "auto",
      description = "apt, dnf, simulated or auto (default: ${DEFAULT-VALUE}).")
  BackendKind backend;

  @Option(names = "--once", description = "One cycle, then exit: 0 if it succeeded, 1 if not.")
  boolean once;

  @Override
  public Integer call() throws Exception {
    AgentCredential credential = AgentCredential.read(credentialFile);
    HttpGatewayClient client =
        HttpGatewayClient.create(
            URI.create(credential.gateway()),
            credential.caCert() == null ? null : TlsTrust.fromPem(Path.of(credential.caCert())));
    Path state = stateFile != null ? stateFile : credentialFile.resolveSibling("agent-state.json");
    SplittableRandom random = new SplittableRandom();
    AgentLoop loop =
        new AgentLoop(
            backend.create(),
            client,
            credential.credential(),
            RunStateStore.file(state),
            Clock.systemUTC(),
            Sleeper.SYSTEM,
            random::nextDouble);
    if (once) {
      AgentLoop.Cycle cycle = loop.cycle();
      spec.commandLine().getOut().println(cycle.outcome());
      return cycle.outcome() == AgentLoop.Outcome.FAILED ? Main.FAILED : 0;
    }
    loop.run();
    return 0;
  }
}

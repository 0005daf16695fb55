package io.patchwarden.agent.cli;

import io.patchwarden.agent.Json;
import io.patchwarden.agent.backend.BackendKind;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the inventory the agent would report (JSON); installs and sends nothing.",
      "Example: patchwarden-agent scan --backend apt"
    })
final class ScanCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--backend",
      defaultValue = "auto",
      description = "apt, dnf, simulated or auto (default: ${DEFAULT-VALUE}).")
  BackendKind backend;

  @Override
  public Integer call() throws Exception {
    spec.commandLine().getOut().println(Json.PRETTY.writeValueAsString(backend.create().scan()));
    return 0;
  }
}

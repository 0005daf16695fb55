package io.patchwarden.agent.cli;

import io.patchwarden.agent.AgentVersion;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code patchwarden-agent}: the endpoint agent and the fleet simulator. */
@Command(
    name = "patchwarden-agent",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Patchwarden endpoint agent: reports this machine's updates to the gateway and"
            + " installs what the operator assigns, inside the allowed time.",
    subcommands = {
      EnrollCommand.class,
      ScanCommand.class,
      RunCommand.class,
      SimulateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  /** Exit code when the command ran but failed (gateway or package manager). */
  static final int FAILED = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      // One line per record, with a timestamp: the JDK's default spreads each over two lines.
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT%1$tz %4$s %5$s%6$s%n");
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests run it with their own output streams. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.registerConverter(Duration.class, Durations::parse);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          // Failures a user can act on are reported as one line, not as a stack trace.
          commandLine.getErr().println("error: " + e.getMessage());
          return FAILED;
        });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version the build stamped into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"patchwarden-agent " + AgentVersion.get()};
    }
  }
}

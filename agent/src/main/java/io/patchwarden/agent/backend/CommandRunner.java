package io.patchwarden.agent.backend;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a program with an argument list, never through a shell, so no package name or version can be
 * read as shell syntax. An interface so parser and backend tests replay captured output.
 */
public interface CommandRunner {

  /**
   * @param command program and arguments
   * @param environment extra environment variables
   * @param timeout how long the command may run before it is killed
   * @throws BackendException when the program cannot be started or times out
   */
  CommandResult run(List<String> command, Map<String, String> environment, Duration timeout);

  default CommandResult run(List<String> command, Duration timeout) {
    return run(command, Map.of(), timeout);
  }
}

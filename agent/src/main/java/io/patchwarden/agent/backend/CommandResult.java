package io.patchwarden.agent.backend;

/**
 * What a finished command printed and how it exited.
 *
 * @param exitCode the process exit code
 * @param stdout standard output
 * @param stderr standard error
 */
public record CommandResult(int exitCode, String stdout, String stderr) {

  public static CommandResult ok(String stdout) {
    return new CommandResult(0, stdout, "");
  }

  /** The end of the output, where package managers put the reason they failed. */
  public String tail(int maxChars) {
    String text = (stdout + "\n" + stderr).strip();
    return text.length() <= maxChars ? text : text.substring(text.length() - maxChars);
  }
}

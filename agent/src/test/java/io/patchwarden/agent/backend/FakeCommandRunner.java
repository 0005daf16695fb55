package io.patchwarden.agent.backend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Replays captured output by command prefix and records what was run, and with which env. */
public final class FakeCommandRunner implements CommandRunner {

  /**
   * One recorded invocation.
   *
   * @param command program and arguments
   * @param environment extra environment
   */
  public record Invocation(List<String> command, Map<String, String> environment) {}

  private final Map<List<String>, Function<List<String>, CommandResult>> answers =
      new LinkedHashMap<>();
  private final List<Invocation> invocations = new ArrayList<>();

  /** Answers commands that start with {@code prefix}; the longest matching prefix wins. */
  public FakeCommandRunner on(List<String> prefix, CommandResult result) {
    answers.put(prefix, c -> result);
    return this;
  }

  public FakeCommandRunner on(List<String> prefix, Function<List<String>, CommandResult> answer) {
    answers.put(prefix, answer);
    return this;
  }

  public List<Invocation> invocations() {
    return invocations;
  }

  /** The invocations of the given program. */
  public List<List<String>> commands(String program) {
    return invocations.stream()
        .map(Invocation::command)
        .filter(c -> c.get(0).equals(program))
        .toList();
  }

  @Override
  public synchronized CommandResult run(
      List<String> command, Map<String, String> environment, Duration timeout) {
    invocations.add(new Invocation(List.copyOf(command), Map.copyOf(environment)));
    List<String> best = null;
    for (List<String> prefix : answers.keySet()) {
      if (command.size() >= prefix.size()
          && command.subList(0, prefix.size()).equals(prefix)
          && (best == null || prefix.size() > best.size())) {
        best = prefix;
      }
    }
    if (best == null) {
      throw new BackendException("unexpected command " + command);
    }
    return answers.get(best).apply(command);
  }
}

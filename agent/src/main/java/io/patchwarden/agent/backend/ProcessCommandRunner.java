package io.patchwarden.agent.backend;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/** Runs real processes. Output is read concurrently so a chatty command cannot block on a pipe. */
public final class ProcessCommandRunner implements CommandRunner {

  @Override
  public CommandResult run(
      List<String> command, Map<String, String> environment, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command);
    // Parsers read English, fixed-format output whatever the machine's locale.
    builder.environment().put("LC_ALL", "C");
    builder.environment().put("LANG", "C");
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new BackendException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    FutureTask<String> out = reader(process.getInputStream(), "stdout");
    FutureTask<String> err = reader(process.getErrorStream(), "stderr");
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new BackendException(
            String.join(" ", command) + " did not finish within " + timeout.toSeconds() + "s");
      }
      return new CommandResult(process.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BackendException("interrupted while running " + command.get(0), e);
    } catch (ExecutionException e) {
      throw new BackendException("cannot read the output of " + command.get(0), e.getCause());
    }
  }

  /** A thread of its own per stream: blocking reads do not belong in a shared pool. */
  private static FutureTask<String> reader(InputStream in, String name) {
    FutureTask<String> task = new FutureTask<>(() -> read(in));
    Thread thread = new Thread(task, "command-" + name);
    thread.setDaemon(true);
    thread.start();
    return task;
  }

  private static String read(InputStream in) {
    try (in) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      in.transferTo(buffer);
      return buffer.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

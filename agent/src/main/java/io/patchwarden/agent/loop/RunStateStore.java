package io.patchwarden.agent.loop;

import io.patchwarden.agent.Json;
import io.patchwarden.agent.enrollment.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Where {@link RunState} lives: a private file for the agent, memory for tests and simulator. */
public interface RunStateStore {

  RunState load();

  /**
   * @throws IOException when the state cannot be kept; the caller decides whether to go on
   */
  void save(RunState state) throws IOException;

  static RunStateStore inMemory() {
    return new RunStateStore() {
      private RunState state = RunState.EMPTY;

      @Override
      public synchronized RunState load() {
        return state;
      }

      @Override
      public synchronized void save(RunState s) {
        state = s;
      }
    };
  }

  /**
   * A JSON file next to the credential. Unreadable counts as empty: at worst a still-assigned run
   * is installed again, which finds the exact versions already there.
   */
  static RunStateStore file(Path file) {
    return new RunStateStore() {
      @Override
      public RunState load() {
        try {
          return Json.MAPPER.readValue(Files.readAllBytes(file), RunState.class);
        } catch (NoSuchFileException e) {
          return RunState.EMPTY;
        } catch (IOException e) {
          System.getLogger(RunStateStore.class.getName())
              .log(System.Logger.Level.WARNING, "ignoring unreadable state file " + file, e);
          return RunState.EMPTY;
        }
      }

      @Override
      public void save(RunState state) throws IOException {
        PrivateFiles.write(file, Json.MAPPER.writeValueAsBytes(state));
      }
    };
  }
}

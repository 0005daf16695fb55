package io.patchwarden.agent.enrollment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The machine's stable identity: re-enrolling the same machine (after a reinstall of the agent)
 * must find its existing endpoint instead of creating a second one.
 */
public final class MachineId {

  public static final Path SYSTEM_FILE = Path.of("/etc/machine-id");

  /** What the gateway accepts as machine id. */
  private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$");

  private MachineId() {}

  /**
   * systemd's machine id when there is one; otherwise a random UUID, generated once and kept in
   * {@code fallbackFile} (next to the credential) so that it stays the same.
   */
  public static String resolve(Path systemFile, Path fallbackFile) throws IOException {
    Optional<String> system = readValid(systemFile);
    if (system.isPresent()) {
      return system.get();
    }
    Optional<String> kept = readValid(fallbackFile);
    if (kept.isPresent()) {
      return kept.get();
    }
    String generated = UUID.randomUUID().toString();
    PrivateFiles.write(fallbackFile, (generated + "\n").getBytes(StandardCharsets.UTF_8));
    return generated;
  }

  private static Optional<String> readValid(Path file) {
    try {
      String id = Files.readString(file).strip();
      return VALID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

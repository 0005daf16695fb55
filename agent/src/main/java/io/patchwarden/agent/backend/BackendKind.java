package io.patchwarden.agent.backend;

import io.patchwarden.agent.backend.apt.AptBackend;
import io.patchwarden.agent.backend.dnf.DnfBackend;
import io.patchwarden.agent.backend.simulated.SimulatedBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Predicate;

/** The backends a user can choose with {@code --backend}. */
public enum BackendKind {
  apt,
  dnf,
  simulated,
  auto;

  static final Path APT_GET = Path.of("/usr/bin/apt-get");
  static final Path DNF = Path.of("/usr/bin/dnf");

  /** The backend of this machine. */
  public Backend create() {
    return switch (resolve(Files::exists)) {
      case apt -> AptBackend.system();
      case dnf -> DnfBackend.system();
      default -> SimulatedBackend.sample(Clock.systemUTC());
    };
  }

  /**
   * {@code auto} becomes the package manager that is installed; apt first because a Debian machine
   * with dnf installed from its archive is still managed by apt, while the reverse does not occur.
   */
  public BackendKind resolve(Predicate<Path> exists) {
    if (this != auto) {
      return this;
    }
    if (exists.test(APT_GET)) {
      return apt;
    }
    if (exists.test(DNF)) {
      return dnf;
    }
    throw new BackendException(
        "no supported package manager found: neither "
            + APT_GET
            + " nor "
            + DNF
            + " exists. Choose a backend with --backend (apt, dnf, or simulated to try the"
            + " agent without one).");
  }
}

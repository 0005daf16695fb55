package io.patchwarden.agent.backend;

import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import java.util.List;

/** The machine's package manager, seen as the agent needs it. */
public interface Backend {

  /** What is installed and what could be; never installs or changes anything. */
  AgentInventory scan();

  /**
   * Installs exactly the given updates (package at exactly the given version) and nothing else.
   *
   * @return one outcome per given update, in the same order
   */
  List<UpdateOutcome> install(List<AssignedUpdate> updates);

  /** Whether installed updates wait for a reboot to take effect. */
  boolean rebootRequired();
}

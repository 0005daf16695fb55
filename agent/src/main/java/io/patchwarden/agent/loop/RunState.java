package io.patchwarden.agent.loop;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.patchwarden.api.agent.ResultReport;

/**
 * What the agent must remember across restarts so that it never installs an assignment twice.
 *
 * @param lastReportedRun the run whose result the gateway acknowledged last
 * @param unsentReport a result that is installed but not yet acknowledged, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunState(String lastReportedRun, ResultReport unsentReport) {

  public static final RunState EMPTY = new RunState(null, null);

  /** Whether the run was already installed, reported or not. */
  public boolean handled(String run) {
    return run.equals(lastReportedRun) || unsentReport != null && run.equals(unsentReport.run());
  }
}

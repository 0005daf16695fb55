package io.patchwarden.operator.support;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured log line per decision that changes something (a run starts or ends, a wave starts,
 * a run halts, a node is cordoned or uncordoned, an assignment is written): with {@code
 * PATCHWARDEN_LOG_FORMAT=json} the fields arrive as key-value pairs (kvpList) a log shipper can
 * index, alongside the formatted message.
 */
public final class Decisions {
  private static final Logger LOG = LoggerFactory.getLogger("io.patchwarden.decisions");

  private Decisions() {}

  /**
   * @param decision what was decided, UpperCamelCase (an Event reason where there is one)
   * @param run the PatchRun, or null
   * @param target the Node or ManagedEndpoint, or null
   */
  public static void log(
      String decision, String namespace, String policy, String run, String target, String message) {
    var line = LOG.atInfo().addKeyValue("decision", decision);
    if (namespace != null) {
      line = line.addKeyValue("namespace", namespace);
    }
    if (policy != null) {
      line = line.addKeyValue("policy", policy);
    }
    if (run != null) {
      line = line.addKeyValue("run", run);
    }
    if (target != null) {
      line = line.addKeyValue("target", target);
    }
    line.log(message);
  }
}

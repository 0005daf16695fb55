package io.patchwarden.api.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.patchwarden.api.common.OsFamily;
import java.util.Map;

/**
 * {@code POST /agent/v1/enroll}: a new (or re-installed) machine asks to be managed.
 *
 * @param token the namespace's enrollment token
 * @param machineId stable machine id; re-enrolling the same machine reuses its endpoint
 * @param hostname the machine's hostname
 * @param osFamily OS family
 * @param osName OS name, e.g. Ubuntu
 * @param osVersion OS version, e.g. 22.04
 * @param architecture CPU architecture, e.g. amd64
 * @param timeZone IANA time zone of the machine
 * @param agentVersion the agent's version
 * @param labels labels the agent proposes (e.g. patchwarden.io/role, patchwarden.io/site)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnrollRequest(
    String token,
    String machineId,
    String hostname,
    OsFamily osFamily,
    String osName,
    String osVersion,
    String architecture,
    String timeZone,
    String agentVersion,
    Map<String, String> labels) {}

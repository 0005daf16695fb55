package io.patchwarden.api.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.patchwarden.api.common.OsFamily;
import io.patchwarden.api.endpoint.PendingUpdate;
import java.util.List;

/**
 * What an agent reports about its machine at each check-in.
 *
 * @param hostname hostname
 * @param osFamily OS family
 * @param osName OS name
 * @param osVersion OS version
 * @param kernelVersion running kernel
 * @param architecture CPU architecture
 * @param timeZone IANA time zone
 * @param agentVersion agent version
 * @param rebootRequired whether a reboot is required to finish installing
 * @param installedUpdateCount installed packages/updates known to the agent
 * @param pendingUpdates available updates
 * @param scannedAt when the scan ran (RFC 3339)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentInventory(
    String hostname,
    OsFamily osFamily,
    String osName,
    String osVersion,
    String kernelVersion,
    String architecture,
    String timeZone,
    String agentVersion,
    Boolean rebootRequired,
    Integer installedUpdateCount,
    List<PendingUpdate> pendingUpdates,
    String scannedAt) {}

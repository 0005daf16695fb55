package io.patchwarden.api.endpoint;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.patchwarden.api.PatchwardenApi;

/**
 * One endpoint outside the cluster (PC, laptop, server) that runs the agent. Named so because core
 * Kubernetes already owns {@code endpoints}.
 */
@Group(PatchwardenApi.GROUP)
@Version(PatchwardenApi.VERSION)
@ShortNames("mep")
@AdditionalPrinterColumn(
    name = "Run",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.assignment.run",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Last Seen",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".status.lastSeen")
@AdditionalPrinterColumn(
    name = "Reboot",
    type = AdditionalPrinterColumn.Type.BOOLEAN,
    jsonPath = ".status.inventory.rebootRequired")
@AdditionalPrinterColumn(
    name = "Security",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.inventory.pendingSecurityUpdateCount")
@AdditionalPrinterColumn(
    name = "Pending",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.inventory.pendingUpdateCount")
@AdditionalPrinterColumn(
    name = "Version",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.inventory.osVersion",
    priority = 1)
@AdditionalPrinterColumn(
    name = "OS",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.inventory.osName")
// The CRD generator emits printer columns in reverse order of declaration.
public class ManagedEndpoint extends CustomResource<ManagedEndpointSpec, ManagedEndpointStatus>
    implements Namespaced {}

package io.patchwarden.api.group;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.patchwarden.api.PatchwardenApi;

/** Which targets belong together: cluster nodes and/or managed endpoints selected by labels. */
@Group(PatchwardenApi.GROUP)
@Version(PatchwardenApi.VERSION)
@ShortNames("epg")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Stale",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.stale")
@AdditionalPrinterColumn(
    name = "Endpoints",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.endpoints")
@AdditionalPrinterColumn(
    name = "Nodes",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.nodes")
@AdditionalPrinterColumn(
    name = "Tier",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.tier")
// The CRD generator emits printer columns in reverse order of declaration.
public class EndpointGroup extends CustomResource<EndpointGroupSpec, EndpointGroupStatus>
    implements Namespaced {}

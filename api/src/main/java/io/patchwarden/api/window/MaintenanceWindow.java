package io.patchwarden.api.window;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.patchwarden.api.PatchwardenApi;

/** When changes may happen: a recurrence, a start time, a duration, a time zone and exclusions. */
@Group(PatchwardenApi.GROUP)
@Version(PatchwardenApi.VERSION)
@ShortNames("mw")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Time Zone",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.timeZone")
@AdditionalPrinterColumn(
    name = "Next Start",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.nextOccurrences[0].start")
@AdditionalPrinterColumn(
    name = "Open",
    type = AdditionalPrinterColumn.Type.BOOLEAN,
    jsonPath = ".status.open")
// The CRD generator emits printer columns in reverse order of declaration.
public class MaintenanceWindow
    extends CustomResource<MaintenanceWindowSpec, MaintenanceWindowStatus> implements Namespaced {}

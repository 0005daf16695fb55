package io.patchwarden.api.run;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.patchwarden.api.PatchwardenApi;

/** One rollout of one policy: an audit record with an immutable spec and aggregated progress. */
@Group(PatchwardenApi.GROUP)
@Version(PatchwardenApi.VERSION)
@ShortNames("pr")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
    name = "Failed",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.totals.failed")
@AdditionalPrinterColumn(
    name = "Succeeded",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.totals.succeeded")
@AdditionalPrinterColumn(
    name = "Targets",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.totals.targets")
@AdditionalPrinterColumn(
    name = "Wave",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.currentWave")
@AdditionalPrinterColumn(
    name = "Phase",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Policy",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.policy")
// The CRD generator emits printer columns in reverse order of declaration.
public class PatchRun extends CustomResource<PatchRunSpec, PatchRunStatus> implements Namespaced {}

package io.patchwarden.api.policy;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.patchwarden.api.PatchwardenApi;

/** What to apply to which groups, when and how fast. */
@Group(PatchwardenApi.GROUP)
@Version(PatchwardenApi.VERSION)
@ShortNames("pp")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Wave",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.rollout.wave")
@AdditionalPrinterColumn(
    name = "Overdue",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.overdueTargets")
@AdditionalPrinterColumn(
    name = "Compliant",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.states.compliant")
@AdditionalPrinterColumn(
    name = "Targets",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.targets")
@AdditionalPrinterColumn(
    name = "Mode",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.mode")
// The CRD generator emits printer columns in reverse order of declaration.
public class PatchPolicy extends CustomResource<PatchPolicySpec, PatchPolicyStatus>
    implements Namespaced {}

package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.PatchwardenApi;
import io.patchwarden.api.common.Condition;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.api.window.MaintenanceWindowStatus;
import io.patchwarden.operator.testing.Conditions;
import io.patchwarden.operator.testing.Edits;
import io.patchwarden.operator.testing.OperatorScenario;
import io.patchwarden.operator.testing.RealApiServerCluster;
import io.patchwarden.operator.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only a real API server can show: CRDs become Established, status lives in the status
 * subresource, generation moves with the spec only, stale writes conflict — and the operator copes
 * with all of it.
 */
@Timeout(180)
class ApiSemanticsIT extends OperatorScenario {
  private static final String NS = "api-semantics";
  private static final Map<String, String> SHORT_NAMES =
      Map.of(
          "maintenancewindows", "mw",
          "endpointgroups", "epg",
          "patchpolicies", "pp",
          "managedendpoints", "mep",
          "patchruns", "pr");

  @Override
  protected TestCluster newCluster() {
    return new RealApiServerCluster();
  }

  @Override
  protected void prepare() {
    cluster.createNamespace(NS);
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  @Test
  void everyGeneratedCrdIsEstablishedWithShortNamesColumnsAndAStatusSubresource() {
    SHORT_NAMES.forEach(
        (plural, shortName) -> {
          CustomResourceDefinition crd =
              client()
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName(plural + "." + PatchwardenApi.GROUP)
                  .get();
          assertThat(crd).as(plural).isNotNull();
          assertThat(crd.getStatus().getConditions())
              .as("conditions of %s", plural)
              .anySatisfy(
                  c -> {
                    assertThat(c.getType()).isEqualTo("Established");
                    assertThat(c.getStatus()).isEqualTo("True");
                  });
          assertThat(crd.getSpec().getNames().getShortNames()).contains(shortName);
          var version = crd.getSpec().getVersions().get(0);
          assertThat(version.getName()).isEqualTo(PatchwardenApi.VERSION);
          assertThat(version.getSubresources().getStatus()).as("status subresource").isNotNull();
          assertThat(version.getAdditionalPrinterColumns()).as("printer columns").isNotEmpty();
        });
  }

  @Test
  void aMainResourceWriteCannotChangeStatusAndAStatusWriteDoesNotBumpGeneration() {
    createWindow("subresource");
    awaitReady("subresource", 1);

    MaintenanceWindow current = window("subresource").get();
    assertThat(current.getMetadata().getGeneration())
        .as("the operator's status write left generation alone")
        .isEqualTo(1L);

    MaintenanceWindow forged = Serialization.clone(current);
    forged.getMetadata().setLabels(Map.of("team", "it"));
    forged.setStatus(new MaintenanceWindowStatus());
    MaintenanceWindow updated = client().resource(forged).update();

    assertThat(updated.getMetadata().getLabels()).containsEntry("team", "it");
    assertThat(updated.getStatus()).as("status ignored on a main-resource write").isNotNull();
    assertThat(Conditions.ready(updated.getStatus()).getStatus()).isEqualTo(ConditionStatus.TRUE);
    assertThat(updated.getMetadata().getGeneration())
        .as("metadata changes do not bump generation")
        .isEqualTo(1L);
  }

  @Test
  void aSpecChangeBumpsGenerationAndTheOperatorObservesIt() {
    createWindow("generations");
    awaitReady("generations", 1);

    MaintenanceWindow edited =
        Edits.retryOnConflict(
            window("generations"),
            w -> {
              w.getSpec().setDuration("4h");
              return w;
            });

    assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);
    Condition ready = awaitReady("generations", 2);
    assertThat(ready.getStatus()).isEqualTo(ConditionStatus.TRUE);
    assertThat(window("generations").get().getStatus().getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void aStaleWriteGetsAConflict() {
    createWindow("stale-write");
    MaintenanceWindow read = window("stale-write").get();
    Edits.retryOnConflict(
        window("stale-write"),
        w -> {
          w.getMetadata().setLabels(Map.of("writer", "first"));
          return w;
        });

    MaintenanceWindow stale = Serialization.clone(read);
    stale.getMetadata().setLabels(Map.of("writer", "second"));

    assertThatThrownBy(() -> client().resource(stale).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(window("stale-write").get().getMetadata().getLabels())
        .containsEntry("writer", "first");
  }

  @Test
  void rapidSpecChangesEndWithTheLastGenerationObservedAndValid() {
    createWindow("rapid");
    List<String> durations = List.of("1h", "2h", "3h", "4h", "5h", "6h", "7h", "8h");
    long generation = 0;
    for (String duration : durations) {
      generation =
          Edits.retryOnConflict(
                  window("rapid"),
                  w -> {
                    w.getSpec().setDuration(duration);
                    return w;
                  })
              .getMetadata()
              .getGeneration();
    }
    // A broken one last: the final state must be reported, not a stale Ready=True.
    generation =
        Edits.retryOnConflict(
                window("rapid"),
                w -> {
                  w.getSpec().setTimeZone("Mars/Olympus_Mons");
                  return w;
                })
            .getMetadata()
            .getGeneration();

    Condition ready = awaitReady("rapid", generation);
    assertThat(ready.getStatus()).isEqualTo(ConditionStatus.FALSE);
    assertThat(ready.getReason()).isEqualTo("InvalidTimeZone");
  }

  private void createWindow(String name) {
    MaintenanceWindow window =
        Serialization.unmarshal(
            """
            apiVersion: patchwarden.io/v1alpha1
            kind: MaintenanceWindow
            metadata: {name: %s, namespace: %s}
            spec:
              timeZone: Europe/Berlin
              recurrence: {weekly: {days: [Saturday]}}
              start: "22:00"
              duration: 2h
            """
                .formatted(name, NS),
            MaintenanceWindow.class);
    client().resource(window).create();
  }

  private Resource<MaintenanceWindow> window(String name) {
    return client().resources(MaintenanceWindow.class).inNamespace(NS).withName(name);
  }

  /** The Ready condition once it was computed for the given generation. */
  private Condition awaitReady(String name, long generation) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              MaintenanceWindow w = window(name).get();
              if (w == null
                  || w.getStatus() == null
                  || !Long.valueOf(generation).equals(w.getStatus().getObservedGeneration())) {
                return null;
              }
              return Conditions.of(w.getStatus(), "Ready").orElse(null);
            },
            c -> c != null && Long.valueOf(generation).equals(c.getObservedGeneration()));
  }
}

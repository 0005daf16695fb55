package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.common.Condition;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.common.ObjectStatus;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.api.window.MaintenanceWindowStatus;
import io.patchwarden.operator.testing.Conditions;
import io.patchwarden.operator.testing.Edits;
import io.patchwarden.operator.testing.OperatorScenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole operator against a cluster: CRDs from the build installed, each controller sets Ready
 * and observedGeneration, references between kinds re-trigger reconciles, and the management port
 * answers. Subclasses choose the mock server (wiring) or a real API server (semantics).
 */
@Timeout(180)
public abstract class ControllerScenarios extends OperatorScenario {
  private static final String NS = "acme";

  @Override
  protected void prepare() {
    cluster.createNamespace(NS);
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  private <T extends HasMetadata> T create(Class<T> kind, String yaml) {
    T object = Serialization.unmarshal(yaml, kind);
    object.getMetadata().setNamespace(NS);
    return client().resource(object).create();
  }

  private <T extends HasMetadata> Condition awaitReady(
      Class<T> kind, String name, Function<T, ObjectStatus> status, ConditionStatus expected) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              T current = client().resources(kind).inNamespace(NS).withName(name).get();
              return Conditions.of(status.apply(current), "Ready").orElse(null);
            },
            c -> c != null && c.getStatus() == expected);
  }

  private static final String WINDOW =
      """
      apiVersion: patchwarden.io/v1alpha1
      kind: MaintenanceWindow
      metadata: {name: %s}
      spec:
        timeZone: %s
        recurrence: {weekly: {days: [Tuesday, Thursday]}}
        start: "19:00"
        duration: 3h
      """;

  @Test
  void aValidWindowBecomesReadyWithItsGeneration() {
    MaintenanceWindow created =
        create(MaintenanceWindow.class, WINDOW.formatted("evenings", "Europe/Berlin"));

    Condition ready =
        awaitReady(
            MaintenanceWindow.class,
            "evenings",
            MaintenanceWindow::getStatus,
            ConditionStatus.TRUE);

    MaintenanceWindow current =
        client().resources(MaintenanceWindow.class).inNamespace(NS).withName("evenings").get();
    assertThat(ready.getReason()).isEqualTo("SpecValid");
    assertThat(current.getStatus().getObservedGeneration())
        .isEqualTo(created.getMetadata().getGeneration());
    assertThat(ready.getObservedGeneration()).isEqualTo(created.getMetadata().getGeneration());
    assertThat(current.getSpec().getStart())
        .as("the spec survives the status write")
        .isEqualTo("19:00");
  }

  @Test
  void anUnknownTimeZoneIsReportedAndFixingItMakesTheWindowReady() {
    create(MaintenanceWindow.class, WINDOW.formatted("typo", "Europe/Berlinn"));

    Condition notReady =
        awaitReady(
            MaintenanceWindow.class, "typo", MaintenanceWindow::getStatus, ConditionStatus.FALSE);
    assertThat(notReady.getReason()).isEqualTo("InvalidTimeZone");
    assertThat(notReady.getMessage()).startsWith("spec.timeZone: ").contains("Europe/Berlinn");
    MaintenanceWindow current =
        client().resources(MaintenanceWindow.class).inNamespace(NS).withName("typo").get();
    assertThat(Conditions.of(current.getStatus(), "Stalled"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo(ConditionStatus.TRUE));

    Edits.retryOnConflict(
        client().resources(MaintenanceWindow.class).inNamespace(NS).withName("typo"),
        w -> {
          w.getSpec().setTimeZone("Europe/Berlin");
          return w;
        });

    awaitReady(MaintenanceWindow.class, "typo", MaintenanceWindow::getStatus, ConditionStatus.TRUE);
    MaintenanceWindow fixed =
        client().resources(MaintenanceWindow.class).inNamespace(NS).withName("typo").get();
    assertThat(Conditions.of(fixed.getStatus(), "Stalled")).isEmpty();
    assertThat(fixed.getStatus().getObservedGeneration())
        .isEqualTo(fixed.getMetadata().getGeneration());
  }

  @Test
  void anEndpointGroupBecomesReady() {
    create(
        EndpointGroup.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: EndpointGroup
        metadata: {name: laptops}
        spec:
          endpointSelector: {matchLabels: {patchwarden.io/role: laptop}}
          staleAfter: 7d
        """);

    Condition ready =
        awaitReady(EndpointGroup.class, "laptops", EndpointGroup::getStatus, ConditionStatus.TRUE);
    assertThat(ready.getReason()).isEqualTo("SpecValid");
  }

  @Test
  void aPolicyNamesItsMissingGroupAndRecoversWhenTheGroupIsCreated() {
    create(
        PatchPolicy.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: PatchPolicy
        metadata: {name: servers-monthly}
        spec:
          groups: [servers]
          rollout:
            waves:
              - {name: all, percent: 100}
        """);

    Condition notReady =
        awaitReady(
            PatchPolicy.class, "servers-monthly", PatchPolicy::getStatus, ConditionStatus.FALSE);
    assertThat(notReady.getReason()).isEqualTo("GroupNotFound");
    assertThat(notReady.getMessage()).contains("spec.groups[0]").contains("'servers'");

    create(
        EndpointGroup.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: EndpointGroup
        metadata: {name: servers}
        spec:
          endpointSelector: {matchLabels: {patchwarden.io/role: server}}
        """);

    Condition ready =
        awaitReady(
            PatchPolicy.class, "servers-monthly", PatchPolicy::getStatus, ConditionStatus.TRUE);
    assertThat(ready.getReason()).isEqualTo("SpecValid");
  }

  @Test
  void aPolicyNamesAMissingWindow() {
    create(
        EndpointGroup.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: EndpointGroup
        metadata: {name: kiosks}
        spec:
          endpointSelector: {matchLabels: {patchwarden.io/role: kiosk}}
        """);
    create(
        PatchPolicy.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: PatchPolicy
        metadata: {name: kiosks-weekly}
        spec:
          groups: [kiosks]
          windows: [sundays]
        """);

    Condition notReady =
        awaitReady(
            PatchPolicy.class, "kiosks-weekly", PatchPolicy::getStatus, ConditionStatus.FALSE);
    assertThat(notReady.getReason()).isEqualTo("WindowNotFound");
    assertThat(notReady.getMessage()).contains("spec.windows[0]").contains("'sundays'");
  }

  @Test
  void theManagementPortServesHealthReadinessAndMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + operator.managementPort();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get(http, base + "/readyz").statusCode() == 200);
    assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(http, base + "/nothing").statusCode()).isEqualTo(404);

    HttpResponse<String> metrics = get(http, base + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(metrics.body()).contains("patchwarden_leader 1.0").contains("jvm_memory_used_bytes");
  }

  @Test
  void aWindowFlipsClosedAndOpenAtItsBoundariesAndItsGaugesFollow() throws Exception {
    // Occurrences are at least 15 minutes long, so the boundaries come from a freeze a few
    // seconds ahead: open now, closed from +4 s, open again from +8 s.
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant freezeFrom = now.plusSeconds(4);
    Instant freezeTo = now.plusSeconds(8);
    String start =
        LocalTime.ofInstant(now.minus(Duration.ofMinutes(1)), ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.MINUTES)
            .toString();
    create(
        MaintenanceWindow.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: MaintenanceWindow
        metadata: {name: flipping}
        spec:
          timeZone: UTC
          recurrence: {weekly: {days: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]}}
          start: "%s"
          duration: 2h
          exclusions:
            - {name: short-freeze, from: "%s", to: "%s"}
        """
            .formatted(start, freezeFrom, freezeTo));

    MaintenanceWindowStatus open = awaitWindow("flipping", Duration.ofSeconds(4), true);
    assertThat(open.getCurrentOccurrence().getEnd()).isEqualTo(freezeFrom.toString());
    assertThat(open.getNextOccurrences()).isNotEmpty();
    assertThat(open.getNextOccurrences().get(0).getStart()).isEqualTo(freezeTo.toString());
    assertThat(scrape()).contains(windowSeries("flipping", "open") + " 1.0");

    MaintenanceWindowStatus closed =
        awaitWindow("flipping", Duration.between(Instant.now(), freezeFrom).plusSeconds(3), false);
    assertThat(closed.getCurrentOccurrence()).isNull();
    assertThat(scrape()).contains(windowSeries("flipping", "open") + " 0.0");

    awaitWindow("flipping", Duration.between(Instant.now(), freezeTo).plusSeconds(3), true);

    client().resources(MaintenanceWindow.class).inNamespace(NS).withName("flipping").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !scrape().contains(windowSeries("flipping", "open")));
  }

  private MaintenanceWindowStatus awaitWindow(String name, Duration within, boolean open) {
    return await()
        .atMost(within)
        .until(
            () -> client().resources(MaintenanceWindow.class).inNamespace(NS).withName(name).get(),
            w ->
                w != null
                    && w.getStatus() != null
                    && Boolean.valueOf(open).equals(w.getStatus().getOpen()))
        .getStatus();
  }

  private static String windowSeries(String window, String metric) {
    return "patchwarden_maintenance_window_"
        + metric
        + "{namespace=\""
        + NS
        + "\",window=\""
        + window
        + "\"}";
  }

  private String scrape() throws Exception {
    return get(
            HttpClient.newHttpClient(),
            "http://127.0.0.1:" + operator.managementPort() + "/metrics")
        .body();
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

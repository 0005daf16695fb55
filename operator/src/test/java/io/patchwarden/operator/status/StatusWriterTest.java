package io.patchwarden.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.api.window.MaintenanceWindowSpec;
import io.patchwarden.api.window.MaintenanceWindowStatus;
import org.junit.jupiter.api.Test;

class StatusWriterTest {

  private static MaintenanceWindow window(Boolean open) {
    MaintenanceWindow w = new MaintenanceWindow();
    w.setMetadata(
        new ObjectMetaBuilder()
            .withName("w")
            .withNamespace("ns")
            .withGeneration(4L)
            .withResourceVersion("17")
            .build());
    MaintenanceWindowSpec spec = new MaintenanceWindowSpec();
    spec.setStart("22:00");
    w.setSpec(spec);
    if (open != null) {
      MaintenanceWindowStatus status = new MaintenanceWindowStatus();
      status.setOpen(open);
      w.setStatus(status);
    }
    return w;
  }

  private static MaintenanceWindowStatus status(boolean open) {
    MaintenanceWindowStatus s = new MaintenanceWindowStatus();
    s.setOpen(open);
    return s;
  }

  @Test
  void noWriteWhenTheStatusIsUnchanged() {
    UpdateControl<MaintenanceWindow> control =
        new StatusWriter(true).patchIfChanged(window(true), status(true), MaintenanceWindow::new);

    assertThat(control.isPatchStatus()).isFalse();
    assertThat(control.isNoUpdate()).isTrue();
  }

  @Test
  void serverSideApplySendsAFreshObjectWithOnlyNameNamespaceAndStatus() {
    UpdateControl<MaintenanceWindow> control =
        new StatusWriter(true).patchIfChanged(window(false), status(true), MaintenanceWindow::new);

    assertThat(control.isPatchStatus()).isTrue();
    MaintenanceWindow patch = control.getResource().orElseThrow();
    assertThat(patch.getMetadata().getName()).isEqualTo("w");
    assertThat(patch.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(patch.getMetadata().getResourceVersion()).isNull();
    assertThat(patch.getSpec()).isNull();
    assertThat(patch.getStatus().getOpen()).isTrue();
  }

  @Test
  void withoutServerSideApplyThePatchIsACopyOfTheCachedObjectSoOnlyStatusDiffers() {
    MaintenanceWindow cached = window(null);

    UpdateControl<MaintenanceWindow> control =
        new StatusWriter(false).patchIfChanged(cached, status(true), MaintenanceWindow::new);

    MaintenanceWindow patch = control.getResource().orElseThrow();
    assertThat(patch).isNotSameAs(cached);
    assertThat(patch.getSpec().getStart()).isEqualTo("22:00");
    assertThat(patch.getStatus().getOpen()).isTrue();
    assertThat(cached.getStatus()).as("the cached object is not modified").isNull();
  }
}

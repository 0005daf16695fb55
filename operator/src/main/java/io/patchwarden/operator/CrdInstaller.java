package io.patchwarden.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.api.window.MaintenanceWindow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or updates Patchwarden's CRDs from the ones generated into the api jar. Meant for
 * development and tests; in production the Helm chart or the plain manifests install them.
 */
public final class CrdInstaller {
  public static final List<Class<? extends HasMetadata>> KINDS =
      List.of(
          MaintenanceWindow.class,
          EndpointGroup.class,
          PatchPolicy.class,
          ManagedEndpoint.class,
          PatchRun.class);
  private static final Logger LOG = LoggerFactory.getLogger(CrdInstaller.class);

  private CrdInstaller() {}

  /** The CRD of a kind as generated from the Java model. */
  public static CustomResourceDefinition load(
      KubernetesClient client, Class<? extends HasMetadata> kind) {
    String name = HasMetadata.getFullResourceName(kind);
    String path = "/META-INF/fabric8/" + name + "-v1.yml";
    try (InputStream in = CrdInstaller.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("generated CRD " + path + " is not on the class path");
      }
      return client.apiextensions().v1().customResourceDefinitions().load(in).item();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates or updates every CRD and, if asked, waits until each is Established (an API server does
   * that within seconds; the Fabric8 mock server never does).
   */
  public static void install(KubernetesClient client, boolean waitUntilEstablished) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    for (Class<? extends HasMetadata> kind : KINDS) {
      CustomResourceDefinition crd = load(client, kind);
      CustomResourceDefinition existing = crds.withName(crd.getMetadata().getName()).get();
      if (existing == null) {
        crds.resource(crd).create();
        LOG.info("Created CRD {}", crd.getMetadata().getName());
      } else {
        crd.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        crds.resource(crd).update();
        LOG.info("Updated CRD {}", crd.getMetadata().getName());
      }
    }
    if (!waitUntilEstablished) {
      return;
    }
    for (Class<? extends HasMetadata> kind : KINDS) {
      crds.withName(HasMetadata.getFullResourceName(kind))
          .waitUntilCondition(CrdInstaller::established, 60, TimeUnit.SECONDS);
    }
  }

  static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}

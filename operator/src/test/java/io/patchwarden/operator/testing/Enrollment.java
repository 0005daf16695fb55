package io.patchwarden.operator.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.patchwarden.api.PatchwardenApi;
import io.patchwarden.operator.gateway.EnrollmentSecrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Sets up enrollment as an administrator would: a labelled namespace and token Secrets. */
public final class Enrollment {
  private Enrollment() {}

  /** A namespace labelled as an enrollment source (created or updated). */
  public static void source(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .addToLabels(PatchwardenApi.ENROLLMENT_SOURCE_LABEL, "true")
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
  }

  /**
   * A token Secret; {@code grantedLabels} in the {@code k=v,k2=v2} form, or null. Written as {@code
   * data}, not {@code stringData}: the mock server does not convert stringData as the API does.
   */
  public static void token(
      KubernetesClient client, String namespace, String name, String token, String grantedLabels) {
    SecretBuilder secret =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .addToLabels(EnrollmentSecrets.TOKEN_LABEL, "true")
            .endMetadata()
            .addToData(
                EnrollmentSecrets.TOKEN_KEY,
                Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    if (grantedLabels != null) {
      secret.editMetadata().addToAnnotations(EnrollmentSecrets.LABELS, grantedLabels).endMetadata();
    }
    client.secrets().resource(secret.build()).createOr(existing -> existing.update());
  }
}

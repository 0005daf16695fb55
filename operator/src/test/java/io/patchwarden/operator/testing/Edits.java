package io.patchwarden.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.UnaryOperator;

/**
 * Edits as a user would make them while the operator writes status: Fabric8's {@code edit} sends
 * the resourceVersion it read, so a status write in between makes it fail with 409 Conflict; like
 * kubectl, read again and retry.
 */
public final class Edits {
  private static final int ATTEMPTS = 10;

  private Edits() {}

  public static <T extends HasMetadata> T retryOnConflict(
      Resource<T> resource, UnaryOperator<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return resource.edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}

package io.patchwarden.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.function.Supplier;

/**
 * Turns a computed status into at most one status patch per reconcile, and none when nothing
 * changed (writes only on change).
 *
 * <p>With server-side apply the patch is a fresh object holding only name, namespace and status, so
 * the operator's field manager owns exactly the status. Without it (the Fabric8 mock server has no
 * SSA) JOSDK computes a JSON patch between the cached object and ours, so ours must be a copy of
 * the cached object with only the status replaced.
 */
public final class StatusWriter {
  private final boolean serverSideApply;

  public StatusWriter(boolean serverSideApply) {
    this.serverSideApply = serverSideApply;
  }

  public <S, P extends CustomResource<?, S>> UpdateControl<P> patchIfChanged(
      P current, S desired, Supplier<P> newInstance) {
    if (sameJson(current.getStatus(), desired)) {
      return UpdateControl.noUpdate();
    }
    P patch;
    if (serverSideApply) {
      patch = newInstance.get();
      ObjectMeta meta = current.getMetadata();
      patch.setMetadata(
          new ObjectMetaBuilder()
              .withName(meta.getName())
              .withNamespace(meta.getNamespace())
              .build());
    } else {
      @SuppressWarnings("unchecked")
      P copy = (P) Serialization.clone(current);
      copy.getMetadata().setManagedFields(null);
      patch = copy;
    }
    patch.setStatus(desired);
    return UpdateControl.patchStatus(patch);
  }

  static boolean sameJson(Object a, Object b) {
    JsonNode left = Serialization.jsonMapper().valueToTree(a);
    JsonNode right = Serialization.jsonMapper().valueToTree(b);
    return left.equals(right);
  }
}

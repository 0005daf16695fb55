package io.patchwarden.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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

  /**
   * For kinds whose status has several writers (a ManagedEndpoint's inventory is the gateway's):
   * writes only the fields in {@code owned} and never sends the others, so a stale cached copy of
   * another writer's fields cannot overwrite newer data. Unchanged when every owned field already
   * has its value.
   *
   * <p>With server-side apply, {@code owned} is applied as is. Without it, JOSDK would write the
   * whole status of its cached copy (erasing what the other writer added since, as the mock server
   * showed), so the owned fields are sent as a JSON merge patch here instead.
   */
  public <S, P extends CustomResource<?, S>> UpdateControl<P> patchOwnedIfChanged(
      P current, S owned, Class<S> statusType, Supplier<P> newInstance, KubernetesClient client) {
    S merged = mergedInto(current.getStatus(), owned, statusType);
    if (sameJson(current.getStatus(), merged)) {
      return UpdateControl.noUpdate();
    }
    if (serverSideApply) {
      return patchIfChanged(current, owned, newInstance);
    }
    client
        .resource(current)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(java.util.Map.of("status", owned)));
    return UpdateControl.noUpdate();
  }

  private static <S> S mergedInto(S current, S owned, Class<S> type) {
    if (current == null) {
      return owned;
    }
    try {
      S copy = Serialization.clone(current);
      return Serialization.jsonMapper().updateValue(copy, owned);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      throw new IllegalStateException("cannot merge status of type " + type.getName(), e);
    }
  }

  /** Whether two values serialise to the same JSON (null equals null). */
  public static boolean sameJson(Object a, Object b) {
    JsonNode left = Serialization.jsonMapper().valueToTree(a);
    JsonNode right = Serialization.jsonMapper().valueToTree(b);
    return left.equals(right);
  }
}

package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.patchwarden.operator.testing.FaultProxy;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chaos tests' fault proxy itself: transparent at rate 0, faults counted, cut is final. */
@Timeout(120)
class FaultProxyIT {
  private static final String NS = "fault-proxy-it";

  @Test
  void forwardsRequestsAndWatchesInjectsCountedFaultsAndCutsOff() {
    try (RealApiServerCluster cluster = new RealApiServerCluster();
        FaultProxy proxy = FaultProxy.start(cluster.kubeConfigYaml(), 1);
        KubernetesClient client = proxy.newClient()) {
      cluster.createNamespace(NS);
      Set<String> seen = ConcurrentHashMap.newKeySet();
      SharedIndexInformer<ConfigMap> informer =
          client.configMaps().inNamespace(NS).inform(new Recorder(seen));
      try {
        client.resource(configMap("before")).createOr(e -> e.update());
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("before"));
        assertThat(proxy.totalInjected()).isZero();

        proxy.faultRate(0.3);
        for (int i = 0; i < 30; i++) {
          client.resource(configMap("cm-" + i)).createOr(e -> e.update());
        }
        // Every write arrived despite the faults (the client retries 5xx, 429 and resets) and the
        // informer, whose watch may have been reset, saw them all.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    seen.containsAll(
                        java.util.stream.IntStream.range(0, 30).mapToObj(i -> "cm-" + i).toList()));
        assertThat(proxy.totalInjected()).isPositive();
        assertThat(proxy.retries().total()).isPositive();
        assertThat(proxy.requests()).isGreaterThan(30);
      } finally {
        informer.close();
      }
      proxy.faultRate(0);
      proxy.cut();
      assertThatThrownBy(() -> client.configMaps().inNamespace(NS).withName("before").get())
          .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class);
    }
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .addToData("k", "v")
        .build();
  }

  private record Recorder(Set<String> seen) implements ResourceEventHandler<ConfigMap> {
    @Override
    public void onAdd(ConfigMap obj) {
      seen.add(obj.getMetadata().getName());
    }

    @Override
    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
      seen.add(newObj.getMetadata().getName());
    }

    @Override
    public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {}
  }
}

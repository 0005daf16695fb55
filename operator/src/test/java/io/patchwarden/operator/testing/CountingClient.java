package io.patchwarden.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A client that counts the requests it sends, by HTTP method: what benchmarks report as "requests
 * issued". Watches count once, when they are opened.
 */
public final class CountingClient {
  private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();
  private final KubernetesClient client;

  public CountingClient(String kubeconfigYaml) {
    Config config = Config.fromKubeconfig(kubeconfigYaml);
    config.setRequestTimeout(30_000);
    client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientBuilderConsumer(
                b ->
                    b.addOrReplaceInterceptor(
                        "count-requests",
                        new Interceptor() {
                          @Override
                          public void before(
                              BasicBuilder builder, HttpRequest request, RequestTags tags) {
                            byMethod
                                .computeIfAbsent(request.method(), m -> new LongAdder())
                                .increment();
                          }
                        }))
            .build();
  }

  public KubernetesClient client() {
    return client;
  }

  /** Requests sent so far with this method (GET, POST, PATCH, PUT, DELETE). */
  public long count(String method) {
    LongAdder n = byMethod.get(method);
    return n == null ? 0 : n.sum();
  }

  /** Every request sent so far. */
  public long total() {
    return byMethod.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Requests that change something: everything but GET. */
  public long writes() {
    return total() - count("GET");
  }
}

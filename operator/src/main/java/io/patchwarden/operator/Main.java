package io.patchwarden.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator as a process: in-cluster with its ServiceAccount, or against the current
 * kubeconfig. Configuration comes from environment variables (see {@link OperatorSettings}).
 */
public final class Main {
  /** PATCHWARDEN_LOG_FORMAT: text (default) or json. */
  public static final String LOG_FORMAT = "PATCHWARDEN_LOG_FORMAT";

  private Main() {}

  public static void main(String[] args) {
    // Must happen before the first logger is created, so no static Logger in this class.
    if ("json".equalsIgnoreCase(System.getenv(LOG_FORMAT))
        && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    OperatorSettings settings;
    try {
      settings = OperatorSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("patchwarden-operator: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    PatchwardenOperator operator;
    try {
      operator = PatchwardenOperator.start(client, settings, Clock.systemUTC());
    } catch (Exception e) {
      log.error(
          "Could not start against the Kubernetes API at {}: {}",
          client.getMasterUrl(),
          e.getMessage(),
          e);
      client.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                },
                "patchwarden-shutdown"));
  }
}

package io.patchwarden.agent.gateway;

import io.patchwarden.api.agent.CheckinRequest;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.agent.ResultAck;
import io.patchwarden.api.agent.ResultReport;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The agent protocol, client side. Asynchronous so that one simulator process can keep thousands of
 * virtual endpoints talking with a few threads; the agent itself waits with {@link #await}. Futures
 * fail with a {@link GatewayException}.
 */
public interface GatewayClient {

  /** {@code POST /agent/v1/enroll} with the namespace's enrollment token in the body. */
  CompletableFuture<EnrollResponse> enroll(EnrollRequest request);

  /** {@code POST /agent/v1/checkin} as the endpoint the credential belongs to. */
  CompletableFuture<CheckinResponse> checkin(String credential, CheckinRequest request);

  /** {@code POST /agent/v1/result}; idempotent by run, so it is safe to repeat. */
  CompletableFuture<ResultAck> report(String credential, ResultReport report);

  /**
   * Waits for a call, unwrapping its failure.
   *
   * @throws GatewayException what the gateway (or the way to it) answered
   * @throws InterruptedException when the waiting thread is told to stop
   */
  static <T> T await(CompletableFuture<T> call) throws InterruptedException {
    try {
      return call.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GatewayException g) {
        throw g;
      }
      throw new GatewayUnavailableException(0, null, String.valueOf(e.getCause()), e.getCause());
    } catch (CancellationException e) {
      throw new GatewayUnavailableException(0, null, "call cancelled", e);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    }
  }
}

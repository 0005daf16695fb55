package io.patchwarden.operator.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the API writes of one pass a few at a time — compliance entries, assignments — on one pool
 * the operator shares: a first pass over a large fleet, or a maxConcurrent of 100%, would otherwise
 * write one endpoint after the other. Waits for all and reports every failure, so the caller
 * decides how the pass is retried.
 */
public final class ParallelWrites implements AutoCloseable {
  private final ExecutorService pool;

  /**
   * @param done how many writes returned true
   * @param failures what the failed writes threw (an InterruptedException when interrupted)
   * @param interrupted whether waiting was interrupted (the writes' outcome is then unknown)
   */
  public record Result(int done, List<Exception> failures, boolean interrupted) {}

  public ParallelWrites(int parallelism) {
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            parallelism,
            r -> {
              Thread t = new Thread(r, "patchwarden-writer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public Result run(List<? extends Callable<Boolean>> writes) {
    if (writes.isEmpty()) {
      return new Result(0, List.of(), false);
    }
    int done = 0;
    List<Exception> failures = new ArrayList<>();
    try {
      for (Future<Boolean> f : pool.invokeAll(writes)) {
        try {
          done += f.get() ? 1 : 0;
        } catch (ExecutionException e) {
          failures.add(
              e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(done, List.of(e), true);
    }
    return new Result(done, failures, false);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

package io.patchwarden.operator.rollout;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the API writes of one pass a few at a time: a pass that admits thousands of targets (a
 * maxConcurrent of 100%) would otherwise write one assignment after the other. Waits for all; the
 * first failure is rethrown once every write has been tried, so the pass is retried.
 */
public final class ParallelWrites implements AutoCloseable {
  private final ExecutorService pool;

  public ParallelWrites(int parallelism) {
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            parallelism,
            r -> {
              Thread t = new Thread(r, "patchwarden-assignment-writer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Runs the writes; returns how many returned true. */
  int run(List<Callable<Boolean>> writes) {
    if (writes.isEmpty()) {
      return 0;
    }
    int done = 0;
    RuntimeException first = null;
    try {
      for (Future<Boolean> f : pool.invokeAll(writes)) {
        try {
          done += f.get() ? 1 : 0;
        } catch (ExecutionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing assignments", e);
    }
    if (first != null) {
      throw first;
    }
    return done;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

package io.patchwarden.agent.loop;

import java.time.Duration;

/** Waiting between cycles; replaced in tests so they neither sleep nor depend on timing. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}

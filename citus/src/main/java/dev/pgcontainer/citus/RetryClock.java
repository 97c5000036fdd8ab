package dev.pgcontainer.citus;

import java.time.Duration;
import java.time.Instant;

/** The time and the waits of a retry loop; tests pass a fake that advances without sleeping. */
interface RetryClock {

  Instant now();

  void sleep(Duration duration) throws InterruptedException;

  static RetryClock system() {
    return new RetryClock() {
      @Override
      public Instant now() {
        return Instant.now();
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
      }
    };
  }
}

package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeRunnerTest {

  private static final Duration DEADLINE = Duration.ofMillis(200);

  /** Keeps blocking probes from outliving the test. */
  private final CountDownLatch release = new CountDownLatch(1);

  private final ProbeRunner runner = ProbeRunner.forProbes(3);

  @AfterEach
  void releaseBlockedProbesAndStop() {
    release.countDown();
    runner.close();
  }

  @Test
  void aProbeThatDoesNotAnswerInTimeIsDownAndTheRunnerDoesNotWaitForIt() {
    AtomicInteger calls = new AtomicInteger();
    Probe hanging =
        probe(
            "hanging",
            () -> {
              calls.incrementAndGet();
              release.await(); // interrupted when abandoned
              return ProbeResult.up("too late");
            });

    long start = System.nanoTime();
    Map<String, ProbeResult> results = runner.run(List.of(hanging), DEADLINE);
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertThat(results.get("hanging").status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(results.get("hanging").reason()).isEqualTo("no answer within 200 ms");
    assertThat(results.get("hanging").duration()).isEqualTo(DEADLINE);
    // the probe never returns unless released: any finite wait shows the runner did not wait for it
    assertThat(waited)
        .as("the runner returned without the probe")
        .isLessThan(Duration.ofSeconds(60));
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void aProbeStillStuckFromTheLastRoundIsNotStartedAgain() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch stuck = new CountDownLatch(1);
    Probe uninterruptible =
        probe(
            "stuck",
            () -> {
              calls.incrementAndGet();
              awaitIgnoringInterrupts(stuck);
              return ProbeResult.up("finally");
            });

    runner.run(List.of(uninterruptible), DEADLINE);
    ProbeResult second = runner.run(List.of(uninterruptible), DEADLINE).get("stuck");
    stuck.countDown();

    assertThat(second.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(second.reason())
        .isEqualTo("no answer within 200 ms (the previous check has not returned yet)");
    assertThat(calls.get()).as("calls of the probe").isEqualTo(1);
  }

  @Test
  void probesRunInParallelSoEachGetsTheWholeDeadline() {
    // each probe answers only once the other one runs too: run one after the other, both would miss
    // the deadline
    CyclicBarrier bothRunning = new CyclicBarrier(2);
    Probe first =
        probe(
            "first",
            () -> {
              bothRunning.await(60, TimeUnit.SECONDS);
              return ProbeResult.up("met the second");
            });
    Probe second =
        probe(
            "second",
            () -> {
              bothRunning.await(60, TimeUnit.SECONDS);
              return ProbeResult.up("met the first");
            });

    Map<String, ProbeResult> results = runner.run(List.of(first, second), Duration.ofSeconds(30));

    assertThat(results.keySet()).containsExactly("first", "second");
    assertThat(results.values())
        .extracting(ProbeResult::status)
        .containsExactly(ProbeStatus.UP, ProbeStatus.UP);
  }

  @Test
  void anExceptionIsDownWithItsMessage() {
    Probe failing =
        probe(
            "failing",
            () -> {
              throw new java.io.IOException("disk on fire");
            });

    ProbeResult result = runner.run(List.of(failing), DEADLINE).get("failing");

    assertThat(result.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(result.reason()).isEqualTo("disk on fire");
  }

  /** Waits like a blocking socket read: interrupts do not end it. */
  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // ignored on purpose
      }
    }
  }

  @FunctionalInterface
  interface Check {
    ProbeResult check() throws Exception;
  }

  static Probe probe(String name, Check check) {
    return new Probe() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ProbeResult check() throws Exception {
        return check.check();
      }
    };
  }
}

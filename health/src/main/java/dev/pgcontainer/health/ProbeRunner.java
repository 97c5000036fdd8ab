package dev.pgcontainer.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs probes in parallel on a small pool and never waits past the deadline: a probe that has not
 * answered by then is DOWN ("no answer within ..."). A probe still stuck from an earlier round is
 * not started again, so stuck probes cannot pile up; the pool has one thread per probe and never
 * starves.
 */
final class ProbeRunner implements AutoCloseable {

  /**
   * Made on first use: it only logs when something fails, and a healthy {@code pgcontainer
   * healthcheck} should not pay for starting Logback (about 100 ms of that JVM's life).
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);
  }

  private final ExecutorService executor;
  private final boolean logs;
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  private ProbeRunner(ExecutorService executor, boolean logs) {
    this.executor = executor;
    this.logs = logs;
  }

  static ProbeRunner forProbes(int count) {
    return new ProbeRunner(pool(count), true);
  }

  /**
   * For a healthcheck's one round: it logs nothing, since starting the logging for a debug line
   * about a probe past its deadline took that JVM about 100 ms, past its watchdog's halt, whose
   * exit then waited for it.
   */
  static ProbeRunner silentForProbes(int count) {
    return new ProbeRunner(pool(count), false);
  }

  private static ExecutorService pool(int count) {
    return Executors.newFixedThreadPool(Math.max(1, count), DaemonThreads.named("health-probe"));
  }

  /** The results in the order of {@code probes}, all within {@code deadline} from now. */
  Map<String, ProbeResult> run(List<Probe> probes, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    Map<String, Attempt> attempts = new LinkedHashMap<>();
    for (Probe probe : probes) {
      attempts.put(probe.name(), running.add(probe.name()) ? new Attempt(probe) : null);
    }
    attempts.values().stream()
        .filter(Objects::nonNull)
        .forEach(attempt -> attempt.future = executor.submit(attempt));
    Map<String, ProbeResult> results = new LinkedHashMap<>();
    attempts.forEach((name, attempt) -> results.put(name, await(attempt, end, deadline)));
    return results;
  }

  private ProbeResult await(Attempt attempt, long end, Duration deadline) {
    String noAnswer = "no answer within " + deadline.toMillis() + " ms";
    if (attempt == null) {
      return ProbeResult.down(noAnswer + " (the previous check has not returned yet)");
    }
    try {
      return attempt.future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      attempt.abandon();
      if (logs) {
        Log.LOG.debug(
            "probe {} overran its deadline of {} ms", attempt.probe.name(), deadline.toMillis());
      }
      return ProbeResult.down(noAnswer).withDuration(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      attempt.abandon();
      return ProbeResult.down("interrupted while waiting for the probe");
    } catch (ExecutionException e) {
      return ProbeResult.down(messageOf(e.getCause()));
    }
  }

  /**
   * One submitted probe. Its name stays in {@link #running} until its check returns or it is
   * dropped unstarted.
   */
  private final class Attempt implements Callable<ProbeResult> {
    private final Probe probe;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile Future<ProbeResult> future;

    Attempt(Probe probe) {
      this.probe = probe;
    }

    @Override
    public ProbeResult call() {
      if (!claimed.compareAndSet(false, true)) {
        return ProbeResult.down("dropped before it started");
      }
      long start = System.nanoTime();
      ProbeResult result;
      try {
        result = probe.check();
      } catch (Exception e) {
        if (logs) {
          Log.LOG.debug("probe {} failed", probe.name(), e);
        }
        result = ProbeResult.down(messageOf(e));
      } finally {
        running.remove(probe.name());
      }
      return result.withDuration(Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Interrupts a running check (it stays "running" until it returns); frees the name of one that
     * never started.
     */
    void abandon() {
      future.cancel(true);
      if (claimed.compareAndSet(false, true)) {
        running.remove(probe.name());
      }
    }
  }

  static String messageOf(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

package dev.pgcontainer.supervision;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the launcher's signals into decisions about its child: before the server is ready a stop
 * signal interrupts the running step (initdb, a readiness wait) so it is undone at once; then
 * {@link #supervise} waits for a signal or the child's end and returns the launcher's exit code
 * (see docs/internals.md, Supervision and exit codes).
 */
public final class Supervisor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  /**
   * TERM and INT stop gracefully, HUP reloads, USR2 stops immediately. QUIT stays the JVM's (see
   * {@link Signals}): the start script turns the SIGQUIT it receives into SIGUSR2 for this JVM.
   */
  private static final Set<PosixSignal> HANDLED =
      EnumSet.of(PosixSignal.TERM, PosixSignal.INT, PosixSignal.HUP, PosixSignal.USR2);

  private static final Set<PosixSignal> STOP =
      EnumSet.of(PosixSignal.TERM, PosixSignal.INT, PosixSignal.USR2);

  /** The signal for an immediate shutdown; see {@link #HANDLED}. */
  private static final PosixSignal IMMEDIATE_STOP = PosixSignal.USR2;

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicReference<Thread> interruptible = new AtomicReference<>();
  private final SignalRegistration registration;

  private Supervisor(boolean takesSignals) {
    registration = takesSignals ? Signals.handle(HANDLED, this::onSignal) : null;
  }

  /** Installs the signal handlers; close it to give the signals back to the JVM. */
  public static Supervisor install() {
    return new Supervisor(true);
  }

  /**
   * A supervisor that leaves the JVM's signals to the program it is embedded in (which may run
   * several servers): only {@link #requestStop} stops what it supervises.
   */
  public static Supervisor withoutSignals() {
    return new Supervisor(false);
  }

  /** Stops what this supervises as SIGTERM does: gracefully, with the stop ladder. */
  public void requestStop() {
    onSignal(PosixSignal.TERM);
  }

  private void onSignal(PosixSignal signal) {
    events.offer(new Event(Optional.of(signal), Optional.empty()));
    Thread target = interruptible.get();
    if (target != null && STOP.contains(signal)) {
      target.interrupt();
    }
  }

  /**
   * Runs a short command to completion; a stop signal kills it and raises {@link StopRequested}.
   */
  public List<String> run(ProcessSpec spec, Duration timeout) {
    return interruptibly(spec.name(), () -> Commands.run(spec, timeout));
  }

  /**
   * Waits for {@code process} to be ready; a stop signal ends the wait with {@link StopRequested}.
   */
  public Duration awaitReady(
      ManagedProcess process, String condition, ReadinessCheck check, Duration timeout) {
    return interruptibly(
        "start of " + process.name(), () -> Readiness.await(process, condition, check, timeout));
  }

  /**
   * Throws {@link StopRequested} when a stop signal is already pending; steps call it between
   * actions.
   */
  public void checkNotStopped(String during) {
    for (Event event : events) {
      if (event.signal().filter(STOP::contains).isPresent()) {
        events.remove(event);
        throw new StopRequested(event.signal().get(), during);
      }
    }
  }

  /** Runs {@code step}; a stop signal interrupts it and raises {@link StopRequested}. */
  public <T> T interruptibly(String during, InterruptibleStep<T> step) {
    checkNotStopped(during);
    interruptible.set(Thread.currentThread());
    try {
      return step.call();
    } catch (InterruptedException e) {
      Thread.interrupted();
      PosixSignal signal =
          events.stream()
              .flatMap(ev -> ev.signal().stream())
              .filter(STOP::contains)
              .findFirst()
              .orElse(PosixSignal.TERM);
      events.removeIf(ev -> ev.signal().filter(STOP::contains).isPresent());
      throw new StopRequested(signal, during);
    } finally {
      interruptible.set(null);
      Thread.interrupted(); // a signal that came as the step finished must not leak into the next
      // blocking call
    }
  }

  /**
   * Supervises the running server until a stop signal (graceful {@code ladder}, after calling
   * {@code onStopRequested}) or its own end. SIGHUP calls {@code onReload}.
   *
   * @return the launcher's exit code
   */
  public int supervise(
      ManagedProcess server, Runnable onReload, StopLadder ladder, Runnable onStopRequested) {
    return supervise(server, server, onReload, ladder, onStopRequested);
  }

  /**
   * As {@link #supervise(ManagedProcess, Runnable, StopLadder, Runnable)}, stopping {@code
   * stopTarget} on a signal.
   */
  public int supervise(
      ManagedProcess server,
      StopTarget stopTarget,
      Runnable onReload,
      StopLadder ladder,
      Runnable onStopRequested) {
    server
        .onExit()
        .thenAccept(exit -> events.offer(new Event(Optional.empty(), Optional.of(exit))));
    while (true) {
      Event event;
      try {
        event = events.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        onStopRequested.run();
        return stop(stopTarget, ladder);
      }
      if (event.exit().isPresent()) {
        return diedOnItsOwn(server, event.exit().get());
      }
      PosixSignal signal = event.signal().orElseThrow();
      if (signal == PosixSignal.HUP) {
        LOG.info("SIGHUP: reloading the configuration");
        try {
          onReload.run();
        } catch (RuntimeException e) {
          LOG.error(
              "reload failed, the server keeps its previous configuration: {}", e.getMessage());
        }
      } else {
        StopLadder used = signal == IMMEDIATE_STOP ? ladder.immediate() : ladder;
        LOG.info(
            "{}: shutting down {}{} (budget {})",
            signal.signalName(),
            server.name(),
            signal == IMMEDIATE_STOP
                ? " immediately (SIGQUIT to the container or bin/pgcontainer)"
                : "",
            Durations.human(used.budget()));
        onStopRequested.run();
        return stop(stopTarget, used);
      }
    }
  }

  /** Sleep mode: nothing runs; returns 0 on the first stop signal. */
  public int sleepUntilStopped() {
    while (true) {
      try {
        Event event = events.take();
        if (event.signal().filter(STOP::contains).isPresent()) {
          LOG.info("{}: leaving sleep mode", event.signal().get().signalName());
          return 0;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
  }

  /**
   * Stops {@code target} (a process, or a process and its helpers) with {@code ladder}; returns 0
   * when the smart or fast step ended it, else 1.
   */
  public static int stop(StopTarget target, StopLadder ladder) {
    String name = target.name();
    StopOutcome outcome;
    try {
      outcome = ladder.stop(target, System::nanoTime);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      target.signal(PosixSignal.KILL);
      LOG.error("interrupted while stopping {}; killed it", name);
      return 1;
    }
    boolean graceful =
        outcome.stopped()
            && outcome.endedBy().map(step -> STOP.contains(step.signal())).orElse(false)
            && outcome.exit().map(ProcessExit::isSuccess).orElse(false);
    if (graceful) {
      LOG.info("{} stopped: {}", name, outcome.describe());
      return 0;
    }
    LOG.error("{} did not shut down cleanly: {}", name, outcome.describe());
    return 1;
  }

  private static int diedOnItsOwn(ManagedProcess server, ProcessExit exit) {
    int code = exitCodeForUnrequestedEnd(exit);
    LOG.error(
        "{} ended without the launcher asking it to ({}{}); exiting with {} so that the restart policy can act."
            + " Last output:\n  {}",
        server.name(),
        exit.describe(),
        exit.isSuccess()
            ? ": stopped from inside the container, e.g. by pg_ctl stop or patronictl?"
            : "",
        code,
        String.join("\n  ", server.lastOutputLines()));
    return code;
  }

  /**
   * The launcher's exit code when its server ended without being asked to: 128+N for signal N, else
   * the server's own code, but never 0: a clean exit nobody requested still leaves the container
   * without its server, and a restart policy of "on-failure" acts only on a non-zero code.
   */
  static int exitCodeForUnrequestedEnd(ProcessExit exit) {
    return exit.signal().map(s -> 128 + s.number()).orElse(exit.isSuccess() ? 1 : exit.exitCode());
  }

  @Override
  public void close() {
    if (registration != null) {
      registration.close();
    }
  }

  @FunctionalInterface
  public interface InterruptibleStep<T> {
    T call() throws InterruptedException;
  }

  /** A signal to the launcher or the end of the supervised child. */
  private record Event(Optional<PosixSignal> signal, Optional<ProcessExit> exit) {}
}

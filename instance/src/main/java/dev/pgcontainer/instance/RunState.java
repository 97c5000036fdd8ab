package dev.pgcontainer.instance;

import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.Supervisor;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the running launcher knows about itself, shared with health probes and metrics: the phase,
 * the supervised server process and how often one was started. Thread-safe; written by the run
 * sequence, read by anyone.
 */
public final class RunState {

  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.INITIALISING);
  private final AtomicReference<Instant> phaseSince = new AtomicReference<>(Instant.now());
  private final AtomicReference<ManagedProcess> server = new AtomicReference<>();
  private final AtomicInteger serverStarts = new AtomicInteger();
  private final AtomicReference<Supervisor> supervisor = new AtomicReference<>();
  private final AtomicBoolean stopRequested = new AtomicBoolean();

  public Phase phase() {
    return phase.get();
  }

  public Instant phaseSince() {
    return phaseSince.get();
  }

  void enter(Phase next) {
    phase.set(next);
    phaseSince.set(Instant.now());
  }

  /** The supervised server process, once started. */
  public Optional<ManagedProcess> server() {
    return Optional.ofNullable(server.get());
  }

  void serverStarted(ManagedProcess process) {
    server.set(process);
    serverStarts.incrementAndGet();
  }

  void supervisedBy(Supervisor running) {
    supervisor.set(running);
    if (stopRequested.get()) {
      running.requestStop();
    }
  }

  /**
   * Asks the run to stop as SIGTERM would (gracefully, with the stop ladder), also when its
   * supervisor is not there yet; for a program that embeds the run and leaves its own signals
   * alone.
   */
  public void requestStop() {
    stopRequested.set(true);
    Supervisor running = supervisor.get();
    if (running != null) {
      running.requestStop();
    }
  }

  /** How many times this launcher started the server; more than one means it was restarted. */
  public int serverStarts() {
    return serverStarts.get();
  }
}

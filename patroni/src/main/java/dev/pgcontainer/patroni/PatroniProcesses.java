package dev.pgcontainer.patroni;

import dev.pgcontainer.supervision.Durations;
import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.supervision.ProcessExit;
import dev.pgcontainer.supervision.StopTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patroni and the PostgreSQL it runs, as one thing to stop. Patroni detaches the postmaster, so it
 * is found through {@code PGDATA/postmaster.pid} and trusted only when its start time matches;
 * SIGKILL goes at once to Patroni, everything it started and the postmaster with its backends, so
 * no unfenced primary is left behind. See docs/internals.md, Signalling children.
 */
final class PatroniProcesses implements StopTarget {

  private static final Logger LOG = LoggerFactory.getLogger(PatroniProcesses.class);

  /** How long a killed postmaster gets to disappear; SIGKILL takes effect in milliseconds. */
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);

  private static final Duration KILL_POLL = Duration.ofMillis(10);

  /** postmaster.pid: line 1 the pid, line 3 the start time in seconds since the epoch. */
  private static final int PID_LINE = 0;

  private static final int START_TIME_LINE = 2;

  /** The file has whole seconds; the kernel's start time is exact. */
  private static final long START_TIME_TOLERANCE_SECONDS = 2;

  private final ManagedProcess patroni;
  private final Path dataDirectory;

  private PatroniProcesses(ManagedProcess patroni, Path dataDirectory) {
    this.patroni = patroni;
    this.dataDirectory = dataDirectory;
  }

  static PatroniProcesses of(ManagedProcess patroni, Path dataDirectory) {
    return new PatroniProcesses(patroni, dataDirectory);
  }

  @Override
  public boolean signal(PosixSignal signal) {
    if (signal != PosixSignal.KILL) {
      return patroni.signal(signal);
    }
    // collected before the kill: a dead Patroni's children are re-parented and out of reach
    List<ProcessHandle> doomed = new ArrayList<>(patroni.descendants());
    postmaster().ifPresent(postmaster -> doomed.addAll(withDescendants(postmaster)));
    boolean sent = patroni.signal(PosixSignal.KILL);
    doomed.forEach(ProcessHandle::destroyForcibly);
    return sent || !doomed.isEmpty();
  }

  @Override
  public Optional<ProcessExit> waitFor(Duration timeout) throws InterruptedException {
    return patroni.waitFor(timeout);
  }

  /** Patroni's name, for messages. */
  @Override
  public String name() {
    return patroni.name();
  }

  /** The postmaster Patroni started, until it is gone. */
  Optional<ProcessHandle> postmaster() {
    return runningPostmaster(dataDirectory);
  }

  /**
   * The postmaster of {@code dataDirectory}'s pid file while it runs; empty when there is none, or
   * it has exited.
   */
  static Optional<ProcessHandle> runningPostmaster(Path dataDirectory) {
    List<String> lines;
    try {
      lines =
          Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return Optional.empty(); // no postmaster, or one that shut down cleanly
    }
    if (lines.size() <= START_TIME_LINE) {
      return Optional.empty(); // a pid file being written: its postmaster is not running yet
    }
    try {
      long pid = Long.parseLong(lines.get(PID_LINE).trim());
      long startedAt = Long.parseLong(lines.get(START_TIME_LINE).trim());
      return ProcessHandle.of(pid)
          .filter(process -> !hasExited(process))
          .filter(
              process ->
                  process
                      .info()
                      .startInstant()
                      .filter(
                          start ->
                              Math.abs(start.getEpochSecond() - startedAt)
                                  <= START_TIME_TOLERANCE_SECONDS)
                      .isPresent());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Makes sure no postgres outlives Patroni: once Patroni has ended, a postmaster still running is
   * killed with its backends, and waited for. SIGKILL rather than a shutdown: nobody watches the
   * leader key for it any more, and a primary taking writes while another member is promoted is the
   * one outcome worse than a crash recovery.
   */
  void fence() {
    Optional<ProcessHandle> postmaster = postmaster();
    if (postmaster.isEmpty()) {
      return;
    }
    LOG.warn(
        "postgres (pid {}) outlived Patroni; killing it and its processes so that no server runs without Patroni",
        postmaster.get().pid());
    withDescendants(postmaster.get()).forEach(ProcessHandle::destroyForcibly);
    // polled: the JDK watches a process that is not its child with pauses of up to seconds
    long deadline = System.nanoTime() + KILL_WAIT.toNanos();
    while (!hasExited(postmaster.get())) {
      if (System.nanoTime() > deadline) {
        LOG.error(
            "postgres (pid {}) is still there {} after SIGKILL",
            postmaster.get().pid(),
            Durations.human(KILL_WAIT));
        return;
      }
      try {
        Thread.sleep(KILL_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Gone, or a zombie: exited, whether or not its new parent has collected it yet (the JDK counts a
   * zombie as alive, and the parent of a detached postmaster is init, which may take its time).
   */
  private static boolean hasExited(ProcessHandle process) {
    if (!process.isAlive()) {
      return true;
    }
    try {
      String stat =
          Files.readString(
              Path.of("/proc", String.valueOf(process.pid()), "stat"), StandardCharsets.UTF_8);
      // "pid (command) state ...": the command may itself hold spaces and parentheses
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException | StringIndexOutOfBoundsException e) {
      return true;
    }
  }

  private static List<ProcessHandle> withDescendants(ProcessHandle process) {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(0, process);
    return all;
  }

  @Override
  public String toString() {
    return patroni + " and its postgres";
  }
}

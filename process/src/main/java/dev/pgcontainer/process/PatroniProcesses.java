package dev.pgcontainer.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patroni and the PostgreSQL it runs, as one thing to stop. Patroni starts the postmaster detached, as pg_ctl does (own
 * session, re-parented to init), so the postmaster is not among Patroni's descendants: it is found through {@code
 * PGDATA/postmaster.pid}, and trusted only when its working directory is PGDATA (postgres works there), so a recycled
 * pid is never hit.
 *
 * <p>SIGKILL, the ladder's last resort, goes at once to Patroni, everything it started (pg_basebackup, pg_rewind, ...)
 * and the postmaster with its backends: a killed Patroni would otherwise leave its postgres running, maybe a primary
 * that nobody fences any more.
 */
final class PatroniProcesses implements StopTarget {

  private static final Logger LOG = LoggerFactory.getLogger(PatroniProcesses.class);

  /** How long a killed postmaster gets to disappear; SIGKILL takes effect in milliseconds. */
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);

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

  /** The postmaster Patroni started, while it runs. */
  Optional<ProcessHandle> postmaster() {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    try (Stream<String> lines = Files.lines(pidFile, StandardCharsets.US_ASCII)) {
      long pid = Long.parseLong(lines.findFirst().orElse("").trim());
      Path workingDirectory = Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "cwd"));
      return workingDirectory.equals(dataDirectory.toRealPath()) ? ProcessHandle.of(pid) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // no pid file, a pid file being written, or a process that is gone or not ours
    }
  }

  /**
   * Makes sure no postgres outlives Patroni: once Patroni has ended, a postmaster still running is killed with its
   * backends, and waited for. SIGKILL rather than a shutdown: nobody watches the leader key for it any more, and a
   * primary taking writes while another member is promoted is the one outcome worse than a crash recovery.
   */
  void fence() {
    Optional<ProcessHandle> postmaster = postmaster();
    if (postmaster.isEmpty()) {
      return;
    }
    LOG.warn("postgres (pid {}) outlived Patroni; killing it and its processes so that no server runs without Patroni",
        postmaster.get().pid());
    withDescendants(postmaster.get()).forEach(ProcessHandle::destroyForcibly);
    try {
      postmaster.get().onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.error("postgres (pid {}) is still there {} after SIGKILL: {}", postmaster.get().pid(),
          Durations.human(KILL_WAIT), e.toString());
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

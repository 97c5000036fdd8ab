package dev.pgcontainer.instance;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.supervision.StopLadder;
import dev.pgcontainer.supervision.StopStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a killed launcher (SIGKILL, the OOM killer) left running on its PGDATA, stopped before the
 * next start: its postgres would hold the lock file and shared memory, an orphaned initdb would
 * keep writing. Found through {@code /proc}, never by name alone; a group whose first process has a
 * JVM for parent belongs to a running launcher, and the start is refused. How each is found and
 * stopped: docs/internals.md, Leftovers.
 */
final class Leftovers {

  private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

  /**
   * How long processes sent SIGKILL get to disappear: it takes milliseconds, but the machine may be
   * loaded.
   */
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(20);
  private static final String POSTMASTER_PID = "postmaster.pid";

  private final Path dataDirectory;
  private final Path initTarget;
  private final Optional<Path> postgresBinary;
  private final Optional<Path> initdbBinary;
  private final List<Leftover> programs;
  private final Duration timeout;

  private Leftovers(
      Path dataDirectory,
      Path initTarget,
      Optional<Path> postgresBinary,
      Optional<Path> initdbBinary,
      List<Leftover> programs,
      Duration timeout) {
    this.dataDirectory = dataDirectory;
    this.initTarget = initTarget;
    this.postgresBinary = postgresBinary;
    this.initdbBinary = initdbBinary;
    this.programs = List.copyOf(programs);
    this.timeout = timeout;
  }

  /**
   * The leftovers of {@code settings}' PGDATA: postgres, initdb, and the features' {@code
   * programs}.
   */
  static Leftovers of(Settings settings, PgInstallation installation, List<Leftover> programs) {
    DataDirectory data = DataDirectory.at(settings.directories().data());
    return new Leftovers(
        realPath(data.path()).orElse(data.path()),
        data.initTarget(),
        realPath(installation.binary("postgres")),
        realPath(installation.binary("initdb")),
        programs,
        settings.timeout());
  }

  /**
   * Stops every leftover of this PGDATA, and waits until they are gone.
   *
   * @throws PgcontainerException when a running launcher owns one, or one survives SIGKILL
   */
  void stop() {
    List<StopStep> postgres =
        StopLadder.postgres(timeout).steps().stream()
            .filter(
                step ->
                    step.signal()
                        != PosixSignal.TERM) // a smart shutdown waits for clients nobody serves
            .toList();
    for (Leftover program : programs) {
      stop(program.what(), program.isOne(), program.steps());
    }
    // postgres removes its lock file last, when every process of it has ended; initdb works in the
    // init directory
    if (Files.exists(dataDirectory.resolve(POSTMASTER_PID)) || Files.exists(initTarget)) {
      stop("initdb", this::isInitdb, List.of(StopStep.of(PosixSignal.KILL, KILL_WAIT)));
      stop("postgres", this::isPostgres, postgres);
    }
  }

  private void stop(String what, Predicate<ProcessHandle> member, List<StopStep> steps) {
    List<ProcessHandle> found = find(member);
    if (found.isEmpty()) {
      return;
    }
    List<ProcessHandle> roots = roots(found);
    refuseWhenALauncherRunsThem(what, roots);
    Set<ProcessHandle> seen = new HashSet<>(found);
    LOG.warn(
        "{} (pid {}) is still running on PGDATA {}, left by a launcher that is gone; stopping it before the start",
        what,
        pids(roots),
        dataDirectory);
    for (StopStep step : steps) {
      if (step.signal() == PosixSignal.KILL) {
        Set<ProcessHandle> doomed = new LinkedHashSet<>();
        for (ProcessHandle process : find(member)) {
          doomed.add(process);
          doomed.addAll(
              process.descendants().toList()); // before the kill: they are re-parented after it
        }
        seen.addAll(doomed);
        LOG.warn("stopping the leftover {}: SIGKILL to pid {}", what, pids(doomed));
        doomed.forEach(ProcessHandle::destroyForcibly);
      } else {
        LOG.info(
            "stopping the leftover {}: {} to pid {}",
            what,
            step.signal().signalName(),
            pids(roots));
        roots.forEach(root -> send(step.signal(), root, member));
      }
      Duration wait =
          step.signal() == PosixSignal.KILL ? max(step.grace(), KILL_WAIT) : step.grace();
      if (awaitGone(member, wait)) {
        LOG.info("the leftover {} is gone", what);
        releaseLockFile(seen);
        return;
      }
      roots = roots(find(member));
      seen.addAll(roots);
    }
    throw new PgcontainerException(
        "could not stop the "
            + what
            + " processes left running on PGDATA "
            + dataDirectory
            + " (pid "
            + pids(find(member))
            + "), not even with SIGKILL: they may be stuck in the kernel (state D);"
            + " start again once they are gone");
  }

  /**
   * Deletes {@code postmaster.pid} when it names one of the stopped processes. postgres refuses to
   * start while the pid it names exists, and a killed orphan stays a zombie until its new parent
   * collects it (init here takes a second or more; a parent that never does would block every
   * start). First waits a little for that collection.
   */
  private void releaseLockFile(Set<ProcessHandle> stopped) {
    long deadline = System.nanoTime() + KILL_WAIT.toNanos();
    while (stopped.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() - deadline < 0) {
      pause();
    }
    Path lockFile = dataDirectory.resolve(POSTMASTER_PID);
    try {
      long pid =
          Long.parseLong(Files.readAllLines(lockFile, StandardCharsets.US_ASCII).get(0).trim());
      if (stopped.stream().anyMatch(process -> process.pid() == pid)) {
        Files.delete(lockFile);
        LOG.info("deleted {}: its postmaster (pid {}) is dead", lockFile, pid);
      }
    } catch (IOException | RuntimeException e) {
      // no lock file, or none of the stopped processes': postgres judges it itself
    }
  }

  /**
   * The processes whose parent is not in the group: the postmaster, a feature's program, or initdb.
   */
  private static List<ProcessHandle> roots(List<ProcessHandle> group) {
    Set<Long> pids = group.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    return group.stream()
        .filter(
            process -> process.parent().map(parent -> !pids.contains(parent.pid())).orElse(true))
        .toList();
  }

  private void refuseWhenALauncherRunsThem(String what, List<ProcessHandle> roots) {
    for (ProcessHandle root : roots) {
      Optional<ProcessHandle> launcher =
          root.parent().filter(parent -> isJvm(commandLine(parent.pid())));
      if (launcher.isPresent()) {
        throw new PgcontainerException(
            "a running launcher (pid "
                + launcher.get().pid()
                + ") runs "
                + what
                + " (pid "
                + root.pid()
                + ") on PGDATA "
                + dataDirectory
                + ": two servers cannot share a data directory;"
                + " stop that launcher first, or give this one another PGDATA");
      }
    }
  }

  /**
   * A launcher, or a program using the library: PID 1 (tini, init) and service managers are not
   * JVMs.
   */
  private static boolean isJvm(List<String> commandLine) {
    return !commandLine.isEmpty()
        && (commandLine.get(0).equals("java") || commandLine.get(0).endsWith("/java"));
  }

  /**
   * Sends {@code signal} to {@code process} if it still is what was found (its pid may have been
   * recycled since).
   */
  private static void send(
      PosixSignal signal, ProcessHandle process, Predicate<ProcessHandle> member) {
    if (!process.isAlive() || !member.test(process)) {
      return;
    }
    ManagedProcess.kill(signal, process.pid())
        .ifPresent(
            failure ->
                LOG.warn(
                    "could not send {} to pid {}: {}",
                    signal.signalName(),
                    process.pid(),
                    failure));
  }

  private boolean awaitGone(Predicate<ProcessHandle> member, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!find(member).isEmpty()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      pause();
    }
    return true;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgcontainerException("interrupted while stopping leftover processes", e);
    }
  }

  private static List<ProcessHandle> find(Predicate<ProcessHandle> member) {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(process -> process.pid() != self)
        .filter(member)
        .toList();
  }

  /**
   * Runs this installation's postgres in PGDATA or below. A zombie has neither, so it counts as
   * gone.
   */
  private boolean isPostgres(ProcessHandle process) {
    return postgresBinary.isPresent()
        && link(process.pid(), "exe").equals(postgresBinary)
        && link(process.pid(), "cwd").filter(cwd -> cwd.startsWith(dataDirectory)).isPresent();
  }

  private boolean isInitdb(ProcessHandle process) {
    return initdbBinary.isPresent()
        && link(process.pid(), "exe").equals(initdbBinary)
        && commandLine(process.pid()).contains("--pgdata=" + initTarget);
  }

  /**
   * {@code /proc/PID/exe} or {@code cwd}; empty when the process is gone, a zombie, or another
   * user's.
   */
  static Optional<Path> link(long pid, String name) {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), name)));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  static List<String> commandLine(long pid) {
    try {
      String raw =
          Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
      return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Optional<Path> realPath(Path path) {
    try {
      return Optional.of(path.toRealPath());
    } catch (IOException e) {
      return Optional.empty(); // nothing there: nothing of it can run
    }
  }

  private static String pids(Collection<ProcessHandle> processes) {
    return processes.stream()
        .map(process -> Long.toString(process.pid()))
        .collect(Collectors.joining(", "));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}

package dev.pgcontainer.supervision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Runs short-lived commands (initdb, pg_controldata, ...) to completion. */
public final class Commands {

  /** How long a command killed for overrunning gets to disappear. */
  static final Duration KILL_WAIT = Duration.ofSeconds(5);

  private Commands() {}

  /**
   * Runs the command and returns every line it wrote to stdout. Stdout is logged at DEBUG (the
   * caller has it), stderr at INFO; both feed the last lines of a failure report.
   *
   * <p>A command that daemonises a child which keeps stdout open (e.g. {@code pg_ctl start} without
   * {@code -l}) is not waited for beyond {@link ManagedProcess#DRAIN_GRACE}: its later output is
   * logged but not returned.
   *
   * @throws ProcessFailedException when the command exits non-zero, or overruns {@code timeout}:
   *     then it and its descendants are killed first
   * @throws InterruptedException when interrupted while waiting; the command and its descendants
   *     are killed first
   */
  public static List<String> run(ProcessSpec spec, Duration timeout) throws InterruptedException {
    List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    ManagedProcess process = ManagedProcess.startCommand(spec, stdout::add);
    Optional<ProcessExit> exit;
    try {
      exit = process.waitFor(timeout);
    } catch (InterruptedException e) {
      process.killWithDescendants();
      throw e;
    }
    if (exit.isEmpty()) {
      process.killWithDescendants();
      throw ProcessFailedException.timedOut(
          spec.name(),
          spec.command(),
          timeout,
          process.waitFor(KILL_WAIT),
          process.lastOutputLines());
    }
    if (!exit.get().isSuccess()) {
      throw ProcessFailedException.exited(
          spec.name(), spec.command(), exit.get(), process.lastOutputLines());
    }
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }
}

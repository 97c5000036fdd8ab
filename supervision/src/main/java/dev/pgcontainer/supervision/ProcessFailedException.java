package dev.pgcontainer.supervision;

import dev.pgcontainer.core.PgcontainerException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A child process failed: it exited unsuccessfully, overran its time, or died before it was ready.
 * The message shows what happened, the command (which never holds a secret: secrets go through
 * stdin) and the last output lines, which usually say why.
 */
public final class ProcessFailedException extends PgcontainerException {

  private final String processName;
  private final List<String> command;
  private final Optional<ProcessExit> exit;
  private final List<String> lastOutputLines;

  private ProcessFailedException(
      String what,
      String processName,
      List<String> command,
      Optional<ProcessExit> exit,
      List<String> lastOutputLines) {
    super(what + CommandLines.report(command, lastOutputLines));
    this.processName = Objects.requireNonNull(processName, "processName");
    this.command = List.copyOf(command);
    this.exit = Objects.requireNonNull(exit, "exit");
    this.lastOutputLines = List.copyOf(lastOutputLines);
  }

  /** The process ended unsuccessfully, e.g. {@code initdb failed: exited with code 1}. */
  public static ProcessFailedException exited(
      String processName, List<String> command, ProcessExit exit, List<String> lastOutputLines) {
    return new ProcessFailedException(
        processName + " failed: " + exit.describe(),
        processName,
        command,
        Optional.of(exit),
        lastOutputLines);
  }

  /**
   * The process overran {@code timeout} and was killed.
   *
   * @param exitAfterKill empty when even SIGKILL did not end it in time (e.g. stuck in
   *     uninterruptible I/O)
   */
  public static ProcessFailedException timedOut(
      String processName,
      List<String> command,
      Duration timeout,
      Optional<ProcessExit> exitAfterKill,
      List<String> lastOutputLines) {
    String fate = exitAfterKill.isPresent() ? "was killed" : "is still running after SIGKILL";
    return new ProcessFailedException(
        processName + " did not finish within " + Durations.human(timeout) + " and " + fate,
        processName,
        command,
        exitAfterKill,
        lastOutputLines);
  }

  /**
   * The process ended while it was awaited to become ready, e.g. a server that refused its
   * configuration.
   */
  public static ProcessFailedException exitedBeforeReady(
      String processName,
      List<String> command,
      String condition,
      ProcessExit exit,
      List<String> lastOutputLines) {
    return new ProcessFailedException(
        processName + " " + exit.describe() + " before it was ready (" + condition + ")",
        processName,
        command,
        Optional.of(exit),
        lastOutputLines);
  }

  public String processName() {
    return processName;
  }

  /** The argv, without the {@code env}/{@code setpriv} wrappers. */
  public List<String> command() {
    return command;
  }

  /** How the process ended; empty only when it could not be killed after a timeout. */
  public Optional<ProcessExit> exit() {
    return exit;
  }

  public List<String> lastOutputLines() {
    return lastOutputLines;
  }
}

package dev.pgcontainer.supervision;

import dev.pgcontainer.core.PgcontainerException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A process kept running but did not become ready before the deadline. It is left running: the
 * caller decides how to stop it (usually with a {@link StopLadder}).
 */
public final class ProcessNotReadyException extends PgcontainerException {

  private final String processName;
  private final List<String> command;
  private final String lastCheckResult;
  private final List<String> lastOutputLines;

  ProcessNotReadyException(
      ManagedProcess process,
      String condition,
      Duration waited,
      String lastCheckResult,
      List<String> lastOutputLines) {
    super(
        process
            + " was not ready ("
            + condition
            + ") within "
            + Durations.human(waited)
            + "; last check: "
            + lastCheckResult
            + ". Allow more time if the machine is slow, otherwise its output below says what it is waiting for"
            + CommandLines.report(process.command(), lastOutputLines));
    this.processName = process.name();
    this.command = process.command();
    this.lastCheckResult = Objects.requireNonNull(lastCheckResult, "lastCheckResult");
    this.lastOutputLines = List.copyOf(lastOutputLines);
  }

  public String processName() {
    return processName;
  }

  public List<String> command() {
    return command;
  }

  /** Why the last check said "not ready", e.g. the message of its exception. */
  public String lastCheckResult() {
    return lastCheckResult;
  }

  public List<String> lastOutputLines() {
    return lastOutputLines;
  }
}

package dev.pgcontainer.supervision;

import java.util.Objects;
import java.util.Optional;

/**
 * How a child process ended. The JDK reports a death by signal N as {@code 128 + N}, also behind
 * {@code setpriv} and {@code env}, so an exit value of 129..159 is read as that signal (see
 * docs/internals.md, Exit values).
 *
 * @param exitCode the exit value as the JDK reports it ({@code 128 + N} for a death by signal N)
 * @param signal the signal that ended the process, when it died of one
 */
public record ProcessExit(int exitCode, Optional<PosixSignal> signal) {

  private static final int SIGNAL_BASE = 128;
  private static final int COMMAND_NOT_EXECUTABLE = 126;
  private static final int COMMAND_NOT_FOUND = 127;

  public ProcessExit {
    Objects.requireNonNull(signal, "signal");
    signal.ifPresent(
        s -> {
          if (exitCode != SIGNAL_BASE + s.number()) {
            throw new IllegalArgumentException(
                "a death by "
                    + s.signalName()
                    + " has exit code "
                    + (SIGNAL_BASE + s.number())
                    + ", not "
                    + exitCode);
          }
        });
  }

  /**
   * Reads an exit value from {@link Process#exitValue()}, recognising {@code 128 + N} as a death by
   * signal N.
   */
  public static ProcessExit ofExitValue(int exitValue) {
    Optional<PosixSignal> signal =
        exitValue > SIGNAL_BASE ? PosixSignal.ofNumber(exitValue - SIGNAL_BASE) : Optional.empty();
    return new ProcessExit(exitValue, signal);
  }

  public boolean isSuccess() {
    return exitCode == 0;
  }

  /**
   * One phrase for logs and errors, e.g. {@code exited with code 1} or {@code killed by SIGKILL
   * (9)}.
   */
  public String describe() {
    if (signal.isPresent()) {
      return "killed by " + signal.get().describe();
    }
    return switch (exitCode) {
      case COMMAND_NOT_EXECUTABLE -> "exited with code 126 (the program is not executable)";
      case COMMAND_NOT_FOUND -> "exited with code 127 (the program was not found)";
      default -> "exited with code " + exitCode;
    };
  }
}

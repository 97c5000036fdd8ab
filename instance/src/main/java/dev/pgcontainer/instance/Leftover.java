package dev.pgcontainer.instance;

import dev.pgcontainer.supervision.StopStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A program of a feature that a killed launcher may have left running on PGDATA (e.g. the manager
 * of its postgres), stopped before the next start, ahead of postgres' own leftovers ({@link
 * Leftovers}).
 *
 * @param what its name in the log, e.g. the program's
 * @param isOne whether a process is one of it; read what it runs with {@link #executable} and
 *     {@link #commandLine}
 * @param steps how it is stopped
 */
public record Leftover(String what, Predicate<ProcessHandle> isOne, List<StopStep> steps) {

  public Leftover {
    steps = List.copyOf(steps);
  }

  /**
   * The program {@code process} runs ({@code /proc/PID/exe}); empty when it is gone, a zombie, or
   * another user's.
   */
  public static Optional<Path> executable(ProcessHandle process) {
    return Leftovers.link(process.pid(), "exe");
  }

  /** Its command line, whole ({@code /proc/PID/cmdline}); empty when it is gone. */
  public static List<String> commandLine(ProcessHandle process) {
    return Leftovers.commandLine(process.pid());
  }
}

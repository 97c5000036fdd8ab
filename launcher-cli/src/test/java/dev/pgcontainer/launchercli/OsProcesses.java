package dev.pgcontainer.launchercli;

import dev.pgcontainer.supervision.PosixSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the tests read about other processes, straight from {@code /proc} (Linux, as the image), and
 * how they signal them. A process may end between listing and reading: every reader then answers
 * empty instead of failing.
 */
final class OsProcesses {

  private static final Path PROC = Path.of("/proc");

  private OsProcesses() {}

  /** Every pid currently in {@code /proc}. */
  static List<Long> allPids() {
    try (Stream<Path> entries = Files.list(PROC)) {
      return entries
          .map(entry -> entry.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .map(Long::valueOf)
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
  }

  /** The working directory of {@code pid}: PostgreSQL's processes all sit in the data directory. */
  static Optional<Path> workingDirectory(long pid) {
    try {
      return Optional.of(Files.readSymbolicLink(PROC.resolve(pid + "/cwd")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The raw NUL-separated arguments. */
  static Optional<byte[]> commandLine(long pid) {
    return read(pid, "cmdline");
  }

  /** The arguments joined by spaces, for messages and for matching. */
  static String commandLineText(long pid) {
    return commandLine(pid).map(bytes -> new String(bytes).replace('\0', ' ').trim()).orElse("");
  }

  /** The raw NUL-separated environment the process was started with. */
  static Optional<byte[]> environment(long pid) {
    return read(pid, "environ");
  }

  /**
   * The ids of a {@code /proc/PID/status} line: {@code Uid} and {@code Gid} (real, effective,
   * saved, filesystem) or {@code Groups} (the supplementary groups).
   */
  static Optional<List<Integer>> ids(long pid, String field) {
    return statusField(pid, field)
        .map(
            value ->
                value.isEmpty()
                    ? List.of()
                    : Arrays.stream(value.split("\\s+")).map(Integer::valueOf).toList());
  }

  /**
   * Whether {@code pid} runs: it exists and is no zombie. (The JDK counts a zombie as alive; on
   * this machine init collects orphans only after a second or two, while a container's tini does at
   * once.)
   */
  static boolean isRunning(long pid) {
    return statusField(pid, "State").filter(state -> !state.startsWith("Z")).isPresent();
  }

  /** The effective capability set, a bit mask. */
  static Optional<Long> effectiveCapabilities(long pid) {
    return statusField(pid, "CapEff").map(value -> Long.parseUnsignedLong(value, 16));
  }

  /** Whether {@code pid} has {@code signal} set to "ignore" (its {@code SigIgn} mask). */
  static boolean ignores(long pid, PosixSignal signal) {
    long mask =
        statusField(pid, "SigIgn")
            .map(value -> Long.parseUnsignedLong(value, 16))
            .orElseThrow(() -> new IllegalStateException("process " + pid + " is gone"));
    return (mask & (1L << (signal.number() - 1))) != 0;
  }

  /** The uid and primary gid of an account in {@code /etc/passwd}. */
  static List<Integer> uidAndGidOfUser(String name) {
    try {
      return Files.readAllLines(Path.of("/etc/passwd")).stream()
          .map(line -> line.split(":"))
          .filter(fields -> fields.length > 3 && fields[0].equals(name))
          .map(fields -> List.of(Integer.valueOf(fields[2]), Integer.valueOf(fields[3])))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no user " + name + " in /etc/passwd"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /etc/passwd", e);
    }
  }

  /** {@code kill -s NAME PID}; fails when kill does (e.g. the process is gone). */
  static void send(PosixSignal signal, long pid) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal.name(), String.valueOf(pid))
              .redirectErrorStream(true)
              .start();
      String said = new String(kill.getInputStream().readAllBytes()).trim();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException(
            "kill -s " + signal.name() + " " + pid + " failed: " + said);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending " + signal.signalName(), e);
    }
  }

  private static Optional<String> statusField(long pid, String field) {
    return read(pid, "status")
        .flatMap(
            bytes ->
                new String(bytes)
                    .lines()
                    .filter(line -> line.startsWith(field + ":"))
                    .map(line -> line.substring(field.length() + 1).trim())
                    .findFirst());
  }

  private static Optional<byte[]> read(long pid, String file) {
    try {
      return Optional.of(Files.readAllBytes(PROC.resolve(pid + "/" + file)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

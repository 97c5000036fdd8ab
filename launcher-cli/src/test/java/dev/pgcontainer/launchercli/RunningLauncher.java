package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pgcontainer.supervision.PosixSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code bin/pgcontainer run} started by {@link LauncherSandbox}. Started as root, the start
 * script runs {@code prepare} and then execs itself as postgres (setpriv, env); {@link #pid()} is
 * that shell, which stays as the parent of the launcher JVM ({@link #jvmPid()}) to pass signals on.
 * Everything it writes (stdout and stderr) goes to one file in the sandbox, read by {@link
 * #output()}.
 */
final class RunningLauncher {

  /**
   * Not a requirement: only keeps a broken launcher from hanging the build. Generous, as a loaded
   * 2-core machine may take many seconds to start a JVM, initdb and a server; how long things take
   * is measured in bench/, not here.
   */
  static final Duration HANG_GUARD = Duration.ofSeconds(120);

  private static final Pattern READY_LINE = Pattern.compile("PostgreSQL is ready after (\\d+) ms");
  private static final Duration POLL_PAUSE = Duration.ofMillis(20);

  private final Process process;
  private final Path outputFile;
  private final long startedNanos;

  RunningLauncher(Process process, Path outputFile, long startedNanos) {
    this.process = process;
    this.outputFile = outputFile;
    this.startedNanos = startedNanos;
  }

  long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** All it wrote so far. */
  String output() {
    try {
      return Files.readString(outputFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits for the launcher's own "ready" line (server up, password applied).
   *
   * @return the wall-clock time from starting the script to that line, JVM starts included
   */
  Duration awaitReady() {
    awaitOutput(READY_LINE);
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /**
   * How long the launcher itself says the run sequence took (directories to password), from its
   * ready line.
   */
  long reportedReadyMillis() {
    Matcher ready = READY_LINE.matcher(output());
    assertThat(ready.find()).as("the launcher's ready line").isTrue();
    return Long.parseLong(ready.group(1));
  }

  /** Waits until the output holds {@code text}; fails at once when the launcher exits first. */
  void awaitOutput(String text) {
    awaitOutput(Pattern.compile(Pattern.quote(text)));
  }

  private void awaitOutput(Pattern pattern) {
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (!pattern.matcher(output()).find()) {
      if (!process.isAlive() && !pattern.matcher(output()).find()) {
        fail(
            "the launcher exited with "
                + process.exitValue()
                + " before printing '"
                + pattern
                + "'; output:\n"
                + output());
      }
      if (System.nanoTime() > deadline) {
        fail(
            "no '"
                + pattern
                + "' from the launcher within "
                + HANG_GUARD
                + "; output:\n"
                + output());
      }
      pause();
    }
  }

  void signal(PosixSignal signal) {
    OsProcesses.send(signal, pid());
  }

  /**
   * Waits for the launcher to exit and returns its exit code; fails when it is still running after
   * {@code bound}.
   */
  int awaitExit(Duration bound) {
    try {
      if (!process.waitFor(bound.toNanos(), TimeUnit.NANOSECONDS)) {
        fail(
            "the launcher is still running "
                + bound.toMillis()
                + " ms later; output:\n"
                + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  /**
   * Sends {@code signal}, waits for the exit and returns the elapsed time; the exit code must be 0.
   */
  Duration stopCleanly(PosixSignal signal, Duration bound) {
    long sent = System.nanoTime();
    signal(signal);
    int exitCode = awaitExit(bound);
    Duration took = Duration.ofNanos(System.nanoTime() - sent);
    assertThat(exitCode)
        .as("exit code after %s; output:%n%s", signal.signalName(), output())
        .isZero();
    return took;
  }

  /**
   * The launcher JVM of {@code run}: the start script's child, once the script has prepared and
   * dropped root.
   */
  long jvmPid() {
    List<ProcessHandle> jvms =
        process
            .toHandle()
            .children()
            .filter(
                child ->
                    OsProcesses.commandLineText(child.pid()).contains("pgcontainer.jar ")
                        && !OsProcesses.commandLineText(child.pid())
                            .contains("pgcontainer.jar prepare"))
            .toList();
    assertThat(jvms)
        .as("the run JVM among the children of the start script (pid %d)", pid())
        .hasSize(1);
    return jvms.get(0).pid();
  }

  /** The launcher's postgres child: the postmaster. */
  long postmasterPid() {
    List<ProcessHandle> servers =
        ProcessHandle.of(jvmPid())
            .orElseThrow()
            .children()
            .filter(child -> child.info().command().orElse("").endsWith("/postgres"))
            .toList();
    assertThat(servers).as("postgres children of the launcher JVM").hasSize(1);
    return servers.get(0).pid();
  }

  /**
   * Kills the launcher and everything under it; {@link LauncherSandbox#killLeftovers()} gets the
   * orphans.
   */
  void killHard() {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  static void pause() {
    try {
      Thread.sleep(POLL_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

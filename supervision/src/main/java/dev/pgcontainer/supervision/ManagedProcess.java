package dev.pgcontainer.supervision;

import dev.pgcontainer.core.PgcontainerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started child process: its output goes line by line to the SLF4J logger named after the spec
 * (one daemon reader thread per stream), the last lines are kept for error reports, and it can be
 * signalled and awaited. It starts through {@link LaunchCommand} (user switch, SIGQUIT unblocked),
 * signals through {@link ProcessHandle} rather than {@link Process#destroy()} (which would close
 * the output pipes), and SIGKILL reaches every descendant. Why: docs/internals.md, Starting
 * children and Signalling children.
 */
public final class ManagedProcess implements StopTarget {

  private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);

  /**
   * After exit, how long the readers get to reach end of stream: a daemonised grandchild may keep
   * the pipes open.
   */
  static final Duration DRAIN_GRACE = Duration.ofMillis(500);

  private final ProcessSpec spec;
  private final Process process;
  private final OutputTail tail;
  private final CompletableFuture<ProcessExit> exit;

  private ManagedProcess(
      ProcessSpec spec, Process process, OutputTail tail, CompletableFuture<ProcessExit> exit) {
    this.spec = spec;
    this.process = process;
    this.tail = tail;
    this.exit = exit;
  }

  /**
   * Starts the child.
   *
   * @throws PgcontainerException when the program or working directory is missing, or the user
   *     cannot be switched to
   */
  public static ManagedProcess start(ProcessSpec spec) {
    return start(spec, line -> {}, false);
  }

  /**
   * For {@link Commands}: stdout also goes to {@code stdoutCapture}, and is logged at DEBUG as the
   * caller gets it.
   */
  static ManagedProcess startCommand(ProcessSpec spec, Consumer<String> stdoutCapture) {
    return start(spec, stdoutCapture, true);
  }

  private static ManagedProcess start(
      ProcessSpec spec, Consumer<String> stdoutCapture, boolean quiet) {
    List<String> argv = commandLine(spec);
    checkProgramAndDirectory(spec);
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().clear();
    builder.environment().putAll(spec.environment());
    spec.workingDirectory().ifPresent(directory -> builder.directory(directory.toFile()));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not start "
              + spec.name()
              + ": "
              + e.getMessage()
              + "; check that env and setpriv are installed",
          e);
    }
    return watch(spec, process, argv, stdoutCapture, quiet, "started");
  }

  /**
   * Takes over {@code child}, a child of this JVM that someone else started as {@code spec} would
   * start it (the start script, before it became this JVM), with its output on {@code output}: its
   * output, exit and signals are handled as for a child started here.
   */
  public static ManagedProcess adopt(ProcessSpec spec, ProcessHandle child, InputStream output) {
    return watch(
        spec, AdoptedProcess.of(child, output), commandLine(spec), line -> {}, false, "adopted");
  }

  /**
   * The command line {@link #start} runs for {@code spec}, with the switch to its user when there
   * is one.
   */
  public static List<String> commandLine(ProcessSpec spec) {
    return LaunchCommand.argv(spec, OsUsers.currentUid(), OsUsers::find);
  }

  private static ManagedProcess watch(
      ProcessSpec spec,
      Process process,
      List<String> argv,
      Consumer<String> stdoutCapture,
      boolean quiet,
      String how) {
    OutputTail tail = new OutputTail(spec.keptOutputLines());
    Logger output = LoggerFactory.getLogger(spec.name());
    CompletableFuture<Void> stdoutEnd =
        OutputPump.start(
            process.getInputStream(),
            spec.name() + "-stdout",
            line -> {
              if (quiet) {
                output.debug(line);
              } else {
                output.info(line);
              }
              tail.add(line);
              stdoutCapture.accept(line);
            });
    CompletableFuture<Void> stderrEnd =
        OutputPump.start(
            process.getErrorStream(),
            spec.name() + "-stderr",
            line -> {
              output.info(line);
              tail.add(line);
            });
    feedStdin(spec, process);

    CompletableFuture<Void> drained = CompletableFuture.allOf(stdoutEnd, stderrEnd);
    CompletableFuture<ProcessExit> exit =
        process
            .onExit()
            .thenCompose(
                ended ->
                    drained
                        .completeOnTimeout(null, DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                        .thenApply(drainedOrNot -> ProcessExit.ofExitValue(ended.exitValue())));
    ManagedProcess managed = new ManagedProcess(spec, process, tail, exit);
    log(quiet, how + " {}: {}", managed, CommandLines.render(argv));
    exit.thenAccept(ended -> logExit(quiet, managed, ended));
    return managed;
  }

  @Override
  public String name() {
    return spec.name();
  }

  /** The spec's command, as shown in errors (without the {@code env}/{@code setpriv} wrappers). */
  public List<String> command() {
    return spec.command();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Completes when the process has exited and its output has been read to the end (or {@link
   * #DRAIN_GRACE} passed), so {@link #lastOutputLines()} then holds its final words. Each call
   * returns a new future; completing it has no effect on this process.
   */
  public CompletableFuture<ProcessExit> onExit() {
    return exit.copy();
  }

  /** The exit, or empty when the process is still running after {@code timeout}. */
  @Override
  public Optional<ProcessExit> waitFor(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for " + this + " failed", e.getCause());
    }
  }

  /**
   * Sends a signal to the process.
   *
   * @return false when the process had already exited
   * @throws PgcontainerException when {@code kill} fails for another reason
   */
  @Override
  public boolean signal(PosixSignal signal) {
    if (!process.isAlive()) {
      return false;
    }
    LOG.debug("sending {} to {}", signal.signalName(), this);
    // through the ProcessHandle: Process.destroy() would also close our ends of the pipes and lose
    // the last output
    switch (signal) {
      case TERM -> process.toHandle().destroy();
      case KILL -> killWithDescendants();
      default -> {
        return sendWithKillCommand(signal);
      }
    }
    return true;
  }

  /** Oldest first; stdout and stderr interleaved as they were read. */
  public List<String> lastOutputLines() {
    return tail.lines();
  }

  /** The process's children, their children and so on, as they are now. */
  public List<ProcessHandle> descendants() {
    return process.descendants().toList();
  }

  /**
   * SIGKILL to the process and every descendant: nothing it started may linger (a backend, initdb's
   * helpers).
   */
  void killWithDescendants() {
    List<ProcessHandle> descendants = descendants();
    process.toHandle().destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public String toString() {
    return spec.name() + " (pid " + process.pid() + ")";
  }

  private boolean sendWithKillCommand(PosixSignal signal) {
    Optional<String> failure = kill(signal, process.pid());
    if (failure.isEmpty()) {
      return true;
    }
    if (!process.isAlive()) {
      return false; // it exited meanwhile: nothing left to signal
    }
    throw new PgcontainerException(
        "could not send " + signal.signalName() + " to " + this + ": " + failure.get());
  }

  /**
   * Sends {@code signal} to {@code pid} with the shell's built-in {@code kill}: the image has a
   * shell but no procps, and the JDK sends only TERM and KILL.
   *
   * @return what went wrong, empty when the signal was sent
   */
  public static Optional<String> kill(PosixSignal signal, long pid) {
    try {
      Process kill =
          new ProcessBuilder("sh", "-c", "kill -s \"$0\" \"$1\"", signal.name(), Long.toString(pid))
              .redirectErrorStream(true)
              .start();
      kill.getOutputStream().close();
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return kill.waitFor() == 0 ? Optional.empty() : Optional.of("kill said: " + said);
    } catch (IOException e) {
      return Optional.of(e.getMessage() + "; check that sh is installed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  private static void checkProgramAndDirectory(ProcessSpec spec) {
    Path program = Path.of(spec.command().get(0));
    if (program.isAbsolute() && !Files.isRegularFile(program)) {
      throw new PgcontainerException(
          "cannot start "
              + spec.name()
              + ": "
              + program
              + " does not exist; check the installation");
    }
    spec.workingDirectory()
        .filter(directory -> !Files.isDirectory(directory))
        .ifPresent(
            directory -> {
              throw new PgcontainerException(
                  "cannot start "
                      + spec.name()
                      + ": its working directory "
                      + directory
                      + " does not exist");
            });
  }

  private static void feedStdin(ProcessSpec spec, Process process) {
    OutputStream stdin = process.getOutputStream();
    if (spec.stdin().isEmpty()) {
      closeQuietly(spec, stdin);
      return;
    }
    byte[] secret = spec.stdin().get().reveal().getBytes(StandardCharsets.UTF_8);
    // on its own thread: a child that does not read would otherwise block start() once the pipe (64
    // KiB) is full
    Thread writer =
        new Thread(
            () -> {
              try (stdin) {
                stdin.write(secret);
              } catch (IOException e) {
                LOG.warn(
                    "{} closed its stdin before reading all of it: {}",
                    spec.name(),
                    e.getMessage());
              }
            },
            spec.name() + "-stdin");
    writer.setDaemon(true);
    writer.start();
  }

  private static void closeQuietly(ProcessSpec spec, OutputStream stdin) {
    try {
      stdin.close();
    } catch (IOException e) {
      LOG.debug("{}: closing stdin failed: {}", spec.name(), e.getMessage());
    }
  }

  private static void logExit(boolean quiet, ManagedProcess process, ProcessExit ended) {
    if (ended.isSuccess() || quiet) {
      log(quiet, "{} {}", process, ended.describe());
    } else {
      LOG.warn("{} {}", process, ended.describe());
    }
  }

  private static void log(boolean quiet, String format, Object first, Object second) {
    if (quiet) {
      LOG.debug(format, first, second);
    } else {
      LOG.info(format, first, second);
    }
  }
}

package dev.pgcontainer.supervision;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A child of this JVM that the JVM did not start: the process that became the JVM forked it before
 * its exec (the start script's fast restart). The JDK waits for it as for any child, without
 * reaping it ({@link ProcessHandle#onExit()}), so its exit status is still there to read, from
 * {@code /proc}, once it has ended; the zombie goes with the JVM.
 */
final class AdoptedProcess extends Process {

  /**
   * Field 52 of {@code /proc/PID/stat}: the exit status as waitpid(2) gives it (Linux 3.5 and
   * later).
   */
  private static final int EXIT_CODE_FIELD = 52;

  private final ProcessHandle handle;
  private final InputStream output;
  private final CompletableFuture<Process> exit;
  private volatile int exitValue;

  private AdoptedProcess(ProcessHandle handle, InputStream output) {
    this.handle = handle;
    this.output = output;
    this.exit =
        handle
            .onExit()
            .thenApply(
                ended -> {
                  exitValue = exitValue(handle.pid());
                  return this;
                });
  }

  /** {@code handle}, whose stdout and stderr both go to {@code output}. */
  static AdoptedProcess of(ProcessHandle handle, InputStream output) {
    return new AdoptedProcess(handle, output);
  }

  @Override
  public OutputStream getOutputStream() {
    return OutputStream.nullOutputStream();
  }

  @Override
  public InputStream getInputStream() {
    return output;
  }

  @Override
  public InputStream getErrorStream() {
    return InputStream.nullInputStream();
  }

  @Override
  public int waitFor() throws InterruptedException {
    try {
      exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for pid " + handle.pid() + " failed", e.getCause());
    }
    return exitValue;
  }

  @Override
  public int exitValue() {
    if (!exit.isDone()) {
      throw new IllegalThreadStateException("pid " + handle.pid() + " has not exited");
    }
    return exitValue;
  }

  @Override
  public void destroy() {
    handle.destroy();
  }

  @Override
  public Process destroyForcibly() {
    handle.destroyForcibly();
    return this;
  }

  @Override
  public boolean isAlive() {
    return !exit.isDone();
  }

  @Override
  public long pid() {
    return handle.pid();
  }

  @Override
  public ProcessHandle toHandle() {
    return handle;
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return exit;
  }

  /**
   * As {@link Process#exitValue()} has it: the exit code, or 0x80 + the signal that ended the
   * process.
   */
  private static int exitValue(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      int status = Integer.parseInt(fields[EXIT_CODE_FIELD - 3].trim());
      return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 0x80 + (status & 0x7f);
    } catch (IOException | RuntimeException e) {
      return 0x80
          + PosixSignal.KILL.number(); // reaped elsewhere: its status is lost, count it as killed
    }
  }
}

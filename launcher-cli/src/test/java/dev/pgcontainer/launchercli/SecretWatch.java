package dev.pgcontainer.launchercli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches, on its own thread until closed, for secrets where others could read them: the command
 * line of every process, and the environment of every process the launcher JVM started, except the
 * launcher's own (start script and its helpers, the JVMs, the JDK's {@code jspawnhelper}), which
 * carry the container's environment by definition. Each round reads all of {@code /proc}, so
 * short-lived processes are almost always seen.
 */
final class SecretWatch implements AutoCloseable {

  private static final String PASSWORD_VARIABLE = "POSTGRES_PASSWORD";

  /** How the supervising launcher JVM's command line ends. */
  private static final String RUN_JVM = "pgcontainer.jar run";

  private final LauncherSandbox sandbox;
  private final List<byte[]> secrets;
  private final Set<String> leaks = ConcurrentHashMap.newKeySet();
  private final Set<String> serverProcessesExamined = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;

  private SecretWatch(LauncherSandbox sandbox, List<String> secrets) {
    this.sandbox = sandbox;
    this.secrets = secrets.stream().map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList();
    this.thread = new Thread(this::watch, "secret-watch");
    thread.setDaemon(true);
  }

  static SecretWatch start(LauncherSandbox sandbox, String... secrets) {
    SecretWatch watch = new SecretWatch(sandbox, List.of(secrets));
    watch.thread.start();
    return watch;
  }

  /**
   * Where a secret was seen, e.g. {@code cmdline of pid 123 (initdb ...)}; the secret itself is not
   * repeated.
   */
  Set<String> leaks() {
    return Set.copyOf(leaks);
  }

  /**
   * The server-side processes whose environment was read, as {@code PID program}: proof the watch
   * looked.
   */
  Set<String> serverProcessesExamined() {
    return Set.copyOf(serverProcessesExamined);
  }

  private void watch() {
    while (running) {
      for (long pid : OsProcesses.allPids()) {
        OsProcesses.commandLine(pid)
            .filter(this::holdsSecret)
            .ifPresent(found -> leaks.add("cmdline of pid " + pid + " (" + program(pid) + ")"));
        if (isServerSide(pid)) {
          OsProcesses.environment(pid)
              .ifPresent(environment -> examineEnvironment(pid, environment));
        }
      }
      RunningLauncher.pause();
    }
  }

  /**
   * Started, directly or not, by the run JVM; not the JDK's spawn helper. Cheap test (working
   * directory) first.
   */
  private boolean isServerSide(long pid) {
    Optional<Path> cwd = OsProcesses.workingDirectory(pid);
    if (cwd.isEmpty()
        || !cwd.get().startsWith(sandbox.root())
        || OsProcesses.commandLineText(pid).contains("/jspawnhelper")
        // a child in the instant between the JVM's fork and its exec of the spawn helper is still
        // the JVM's copy
        || OsProcesses.commandLineText(pid).contains(RUN_JVM)) {
      return false;
    }
    Optional<ProcessHandle> ancestor = ProcessHandle.of(pid).flatMap(ProcessHandle::parent);
    while (ancestor.isPresent()) {
      if (OsProcesses.commandLineText(ancestor.get().pid()).contains(RUN_JVM)) {
        return true;
      }
      ancestor = ancestor.get().parent();
    }
    return false;
  }

  private void examineEnvironment(long pid, byte[] environment) {
    serverProcessesExamined.add(pid + " " + program(pid));
    if (holdsSecret(environment)) {
      leaks.add("environ of pid " + pid + " (" + program(pid) + "): a password value");
    }
    if (indexOf(environment, PASSWORD_VARIABLE.getBytes(StandardCharsets.US_ASCII)) >= 0) {
      leaks.add(
          "environ of pid " + pid + " (" + program(pid) + "): the variable " + PASSWORD_VARIABLE);
    }
  }

  private boolean holdsSecret(byte[] content) {
    return secrets.stream().anyMatch(secret -> indexOf(content, secret) >= 0);
  }

  /** The program only: a full command line could hold the very secret being reported. */
  private static String program(long pid) {
    String commandLine = OsProcesses.commandLineText(pid);
    int space = commandLine.indexOf(' ');
    return space < 0 ? commandLine : commandLine.substring(0, space);
  }

  static int indexOf(byte[] content, byte[] part) {
    outer:
    for (int start = 0; start <= content.length - part.length; start++) {
      for (int i = 0; i < part.length; i++) {
        if (content[start + i] != part[i]) {
          continue outer;
        }
      }
      return start;
    }
    return -1;
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

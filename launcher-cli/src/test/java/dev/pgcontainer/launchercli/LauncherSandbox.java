package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.ServerBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A world for the real launcher ({@code target/app/bin/pgcontainer run}): a {@link Sandbox} (a
 * temporary root that user postgres can traverse, holding PGDATA, PGCONFIG, PGLOG and PGSOCKET, a
 * free port) and every launcher started in it. Closing the sandbox kills whatever still runs there
 * (SIGKILL) and deletes the root.
 *
 * <p>Leftovers are found by working directory: the launchers are started in the root, and
 * PostgreSQL's processes (postmaster, backends, initdb's single-user backends) all sit in PGDATA
 * below it, even when orphaned.
 */
final class LauncherSandbox implements AutoCloseable {

  /**
   * The superuser password of every start unless a test says otherwise; it is also the template
   * cluster's.
   */
  static final String PASSWORD = "Sandbox-Pw-3e91c0";

  static final String SUPERUSER = "postgres";

  /**
   * TIMEOUT for every start: bounds startup waits and the shutdown ladder (smart 1 s, fast 6 s,
   * ...).
   */
  static final int TIMEOUT_SECONDS = 10;

  private static final Path APP_HOME =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target/app");

  private final Sandbox sandbox;
  private final Path root;
  private final List<RunningLauncher> launchers = new ArrayList<>();
  private final AtomicInteger commands = new AtomicInteger();

  private LauncherSandbox(Sandbox sandbox) {
    this.sandbox = sandbox;
    this.root = sandbox.root();
    sandbox.beforeDeletion(this::killLeftovers);
  }

  /**
   * A sandbox of its own with an empty PGDATA (the launcher initialises it); {@link #close()}
   * deletes it.
   */
  static LauncherSandbox empty() {
    return in(Sandbox.create("pgc-run-"));
  }

  /**
   * The launcher's world in {@code sandbox}, with an empty PGDATA; closing {@code sandbox} kills
   * the leftovers.
   */
  static LauncherSandbox in(Sandbox sandbox) {
    return new LauncherSandbox(sandbox);
  }

  /** A sandbox of its own whose PGDATA is a copy of the {@link TemplateCluster}. */
  static LauncherSandbox withInitialisedCluster() {
    return withInitialisedCluster(Sandbox.create("pgc-run-"));
  }

  /**
   * As {@link #in}, with PGDATA a copy of the {@link TemplateCluster}: shut down cleanly, password
   * {@link #PASSWORD}.
   */
  static LauncherSandbox withInitialisedCluster(Sandbox sandbox) {
    Path template = TemplateCluster.dataDirectory();
    LauncherSandbox launcherSandbox = in(sandbox);
    run(List.of("cp", "-a", template.toString(), launcherSandbox.data().toString()));
    return launcherSandbox;
  }

  Path root() {
    return root;
  }

  Path data() {
    return sandbox.data();
  }

  Path config() {
    return sandbox.config();
  }

  Path log() {
    return sandbox.log();
  }

  Path socket() {
    return sandbox.socket();
  }

  int port() {
    return sandbox.port();
  }

  /**
   * The launcher's complete environment: nothing is inherited from the test JVM but PATH, so a
   * stray PG* or POSTGRESQL_* variable of the build machine cannot change a run.
   */
  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("LANG", "C.UTF-8");
    env.put(
        "JAVA_HOME", System.getProperty("java.home")); // the start script then uses the tests' JDK
    env.put("PG_BINDIR", ServerBinaries.binDir().toString());
    env.put("PGDATA", data().toString());
    env.put("PGCONFIG", config().toString());
    env.put("PGLOG", log().toString());
    env.put("PGSOCKET", socket().toString());
    env.put("POSTGRESQL_PORT", String.valueOf(port()));
    env.put("POSTGRES_PASSWORD", PASSWORD);
    env.put("TIMEOUT", String.valueOf(TIMEOUT_SECONDS));
    env.put("HEALTH_LISTEN", ""); // not under test; two launchers must not compete for 8080
    return env;
  }

  RunningLauncher start() {
    return start(Map.of());
  }

  /**
   * Starts {@code bin/pgcontainer run} with {@link #environment()} plus {@code overrides} (a null
   * value removes).
   */
  RunningLauncher start(Map<String, String> overrides) {
    return start(overrides, List.of(launcherScript().toString(), "run"));
  }

  /**
   * As {@link #start(Map)}, the launcher's command behind {@code wrapper} (e.g. {@code ip netns
   * exec NS}, which execs).
   */
  RunningLauncher startWrapped(List<String> wrapper, Map<String, String> overrides) {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(List.of(launcherScript().toString(), "run"));
    return start(overrides, command);
  }

  /**
   * Starts {@code bin/pgcontainer ARGUMENTS} (e.g. the official image's {@code postgres -c
   * name=value}) with {@link #environment()} plus {@code overrides}.
   */
  RunningLauncher startWith(Map<String, String> overrides, String... arguments) {
    List<String> command = new ArrayList<>(List.of(launcherScript().toString()));
    command.addAll(List.of(arguments));
    return start(overrides, command);
  }

  /**
   * As {@link #start(Map)}, but {@code signal} is set to "ignore" by the launcher's parent, as
   * nohup or a background job of a non-interactive shell do. The shell execs the launcher, so the
   * pid stays the launcher's.
   */
  RunningLauncher startIgnoring(PosixSignal signal, Map<String, String> overrides) {
    return start(
        overrides,
        List.of(
            "sh",
            "-c",
            "trap '' " + signal.name() + "; exec \"$0\" run",
            launcherScript().toString()));
  }

  private static Path launcherScript() {
    Path launcher = APP_HOME.resolve("bin/pgcontainer");
    assertThat(launcher).as("the app folder (mvn package builds it)").isExecutable();
    return launcher;
  }

  private RunningLauncher start(Map<String, String> overrides, List<String> command) {
    Path outputFile = root.resolve("launcher-" + (launchers.size() + 1) + ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(outputFile.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment());
    overrides.forEach(
        (variable, value) -> {
          if (value == null) {
            builder.environment().remove(variable);
          } else {
            builder.environment().put(variable, value);
          }
        });
    try {
      long startedNanos = System.nanoTime();
      RunningLauncher started = new RunningLauncher(builder.start(), outputFile, startedNanos);
      launchers.add(started);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a one-shot command of the launcher ({@code backup}, {@code restore}, ...) did. */
  record CommandOutcome(int exitCode, String stdout, String stderr) {
    /** For assertion messages. */
    String describe() {
      return "exit code " + exitCode + "; stdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  /**
   * Runs {@code bin/pgcontainer ARGUMENTS} to its end, with {@link #environment()} plus {@code
   * overrides}, in the sandbox's root (so its children are found as leftovers); fails the test when
   * it runs longer than the hang guard.
   */
  CommandOutcome command(Map<String, String> overrides, String... arguments) {
    List<String> command = new ArrayList<>(List.of(launcherScript().toString()));
    command.addAll(List.of(arguments));
    int number = commands.incrementAndGet(); // commands may run side by side
    Path stdout = root.resolve("command-" + number + ".out");
    Path stderr = root.resolve("command-" + number + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment());
    builder.environment().putAll(overrides);
    try {
      Process process = builder.start();
      if (!process.waitFor(RunningLauncher.HANG_GUARD.toNanos(), TimeUnit.NANOSECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(
            command
                + " still runs after "
                + RunningLauncher.HANG_GUARD
                + "; stderr:\n"
                + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return new CommandOutcome(
          process.exitValue(),
          Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The pid of the launcher's initdb, as soon as it runs. */
  long awaitInitdb(RunningLauncher launcher) {
    String target = "--pgdata=" + data();
    long deadline = System.nanoTime() + RunningLauncher.HANG_GUARD.toNanos();
    while (System.nanoTime() < deadline) {
      List<Long> initdb =
          launcher
              .process()
              .descendants()
              .map(ProcessHandle::pid)
              .filter(
                  pid ->
                      OsProcesses.commandLineText(pid).matches("\\S*/initdb .*")
                          && OsProcesses.commandLineText(pid).contains(target))
              .toList();
      if (!initdb.isEmpty()) {
        return initdb.get(0);
      }
      if (!launcher.isAlive()) {
        fail("the launcher exited before initdb ran; output:%n%s", launcher.output());
      }
      RunningLauncher.pause();
    }
    return fail(
        "initdb did not start within %s; output:%n%s",
        RunningLauncher.HANG_GUARD, launcher.output());
  }

  /** Everything every launcher of this sandbox wrote. */
  String allOutput() {
    StringBuilder all = new StringBuilder();
    launchers.forEach(launcher -> all.append(launcher.output()));
    return all.toString();
  }

  /** A TCP connection to 127.0.0.1 as the superuser. */
  Connection connect(String password) throws SQLException {
    return connect("127.0.0.1", password);
  }

  /** A TCP connection to {@code host} as the superuser. */
  Connection connect(String host, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("password", password);
    properties.setProperty("sslmode", "disable");
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("ApplicationName", "pgcontainer-it");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + host + ":" + port() + "/postgres", properties);
  }

  Connection connect() throws SQLException {
    return connect(PASSWORD);
  }

  /**
   * Starts a launcher on this sandbox, runs a one-value {@code query} once it is ready, and stops
   * it again with SIGTERM (exit code 0 required).
   */
  String queryAfterRestart(String query) throws SQLException {
    RunningLauncher launcher = start();
    Duration ready = launcher.awaitReady();
    System.out.printf(
        "[measured] restart: ready after %d ms wall clock, launcher says %d ms%n",
        ready.toMillis(), launcher.reportedReadyMillis());
    String value;
    try (Connection connection = connect()) {
      value = queryValue(connection, query);
    }
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    return value;
  }

  /** {@code pg_controldata}'s "Database cluster state", e.g. {@code shut down}. */
  String clusterState() {
    return controlData("Database cluster state");
  }

  /**
   * {@code pg_controldata}'s "Database system identifier": initdb's, kept by pg_rewind, new after a
   * re-clone's initdb.
   */
  String systemIdentifier() {
    return controlData("Database system identifier");
  }

  private String controlData(String field) {
    Path pgControldata = ServerBinaries.binary("pg_controldata");
    return run(List.of(pgControldata.toString(), "-D", data().toString()))
        .lines()
        .filter(line -> line.startsWith(field + ":"))
        .map(line -> line.substring(field.length() + 1).trim())
        .findFirst()
        .orElseThrow(() -> new AssertionError("pg_controldata printed no " + field));
  }

  /**
   * Pids of every process whose working directory is inside the sandbox (launchers, servers,
   * initdb, orphans).
   */
  List<Long> processesInside() {
    return OsProcesses.allPids().stream()
        .filter(pid -> pid != ProcessHandle.current().pid())
        .filter(
            pid ->
                OsProcesses.workingDirectory(pid).filter(cwd -> cwd.startsWith(root)).isPresent())
        .toList();
  }

  /**
   * Waits until no process runs inside the sandbox: a process sent SIGKILL (by the launcher, by the
   * kernel on its parent's death) is gone only once it has been scheduled to exit, later on a
   * loaded machine.
   */
  void awaitNoProcessInside(String when) {
    long deadline = System.nanoTime() + RunningLauncher.HANG_GUARD.toNanos();
    while (!processesInside().isEmpty() && System.nanoTime() < deadline) {
      RunningLauncher.pause();
    }
    assertThat(processesInside()).as("processes left in %s %s", root, when).isEmpty();
  }

  /**
   * SIGKILL to every launcher and every process inside the sandbox, then waits until they are gone:
   * what the container runtime does to a container's processes, and the cleanup after each test.
   */
  void killLeftovers() {
    launchers.forEach(RunningLauncher::killHard);
    long deadline = System.nanoTime() + RunningLauncher.HANG_GUARD.toNanos();
    List<Long> left;
    while (!(left = processesInside()).isEmpty() && System.nanoTime() < deadline) {
      left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      RunningLauncher.pause();
    }
    assertThat(left).as("processes still running in %s", root).isEmpty();
  }

  /** Kills the leftovers and deletes the root; for a sandbox of its own ({@link #empty()}). */
  @Override
  public void close() {
    sandbox.close();
  }

  /**
   * Runs a short command as the test's user, returning its output; a non-zero exit fails the test.
   */
  static String run(List<String> command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("LC_ALL", "C");
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as("exit code of %s; output:%n%s", command, output).isZero();
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The single value of a one-row, one-column query. */
  static String queryValue(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as("a row from %s", sql).isTrue();
      return rows.getString(1);
    }
  }

  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}

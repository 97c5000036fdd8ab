package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.LocalConnections;
import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.instance.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The probes of one server, checked together with a hard deadline and read in the light of the phase: outside RUNNING
 * the server-facing probes are not run and the phase answers for them (STARTING, SLEEPING, DOWN), so a server on its
 * way up is neither reported broken nor disturbed. The launcher hands in the {@code backup} and {@code citus} probes
 * ({@link #forRun(Settings, RunState, Duration, List)}); elsewhere a stand-in says "not enabled" or where to ask.
 */
public final class HealthChecks implements AutoCloseable {

  /** The name of the backups' check, whose probe the launcher supplies. */
  public static final String BACKUP = "backup";

  /** The name of Citus' check (a worker's registration), whose probe the launcher supplies. */
  public static final String CITUS = "citus";

  /** Every check by name, in the order reports list them. */
  public static final List<String> NAMES =
      List.of(PostgresqlProbe.NAME, PatroniProbe.NAME, DiskProbe.NAME, ProcessProbe.NAME, BACKUP, CITUS);

  /** The checks whose probes the launcher supplies, in the order of {@link #NAMES}. */
  private static final List<String> FROM_LAUNCHER = List.of(BACKUP, CITUS);

  private static final Set<String> SERVER_FACING = Set.of(PostgresqlProbe.NAME, PatroniProbe.NAME, BACKUP, CITUS);

  private final List<Probe> probes;
  private final Set<String> serverFacing;
  private final Supplier<Phase> phase;
  private final ServerConnection connection;
  private final ServerRestarts restarts;
  private final ProbeRunner runner;
  private final Duration deadline;

  private HealthChecks(List<Probe> probes, Set<String> serverFacing, Supplier<Phase> phase,
      ServerConnection connection, ServerRestarts restarts, ProbeRunner runner, Duration deadline) {
    this.probes = List.copyOf(probes);
    this.serverFacing = Set.copyOf(serverFacing);
    this.phase = phase;
    this.connection = connection;
    this.restarts = restarts;
    this.runner = runner;
    this.deadline = deadline;
  }

  /**
   * Inside the launcher: the phase and the server process come from the run's state; the launcher's own probes of
   * what it keeps in memory come from {@code fromLauncher} (named {@value #BACKUP} or {@value #CITUS}, each at most
   * once), and stand-ins answer for those it does not supply.
   */
  public static HealthChecks forRun(Settings settings, RunState state, Duration deadline, List<Probe> fromLauncher) {
    Map<String, Probe> supplied = new LinkedHashMap<>();
    for (Probe probe : fromLauncher) {
      if (!FROM_LAUNCHER.contains(probe.name()) || supplied.put(probe.name(), probe) != null) {
        throw new IllegalArgumentException("the launcher supplies one probe each of " + FROM_LAUNCHER + ", not "
            + fromLauncher.stream().map(Probe::name).toList());
      }
    }
    List<Probe> launcherProbes = standIns(settings).stream()
        .map(standIn -> supplied.getOrDefault(standIn.name(), standIn))
        .toList();
    ServerConnection connection = ServerConnection.forSettings(settings, deadline);
    ServerRestarts restarts = new ServerRestarts();
    return new HealthChecks(
        probes(settings, connection, restarts, deadline, new ProcessProbe(state, restarts), launcherProbes),
        SERVER_FACING, state::phase, connection, restarts, ProbeRunner.forProbes(NAMES.size()), deadline);
  }

  /** The stand-ins for the launcher's probes where its own are out of reach (see {@link LauncherStandInProbe}). */
  static List<Probe> standIns(Settings settings) {
    return List.of(
        new LauncherStandInProbe(BACKUP, settings.backup().enabled(), "the stanza and backups"),
        new LauncherStandInProbe(CITUS, settings.citus().enabled(), "a worker's registration"));
  }

  /**
   * Outside the launcher (a healthcheck that could not ask its endpoint), for one check within {@code deadline} from
   * now: the phase is SLEEPING under SLEEP_MODE and otherwise taken to be RUNNING, and the server process is the one
   * PGDATA/postmaster.pid names. Its probes log nothing.
   */
  public static HealthChecks direct(Settings settings, Duration deadline) {
    ServerConnection connection = ServerConnection.forOneCheck(settings, deadline);
    ServerRestarts restarts = new ServerRestarts(); // a single check sees no restart
    Phase assumed = settings.sleepMode() ? Phase.SLEEPING : Phase.RUNNING;
    Set<String> serverFacing = new HashSet<>(SERVER_FACING);
    serverFacing.add(ProcessProbe.NAME);
    return new HealthChecks(
        probes(settings, connection, restarts, deadline, new PidFileProbe(settings.directories().data()),
            standIns(settings)),
        serverFacing, () -> assumed, connection, restarts, ProbeRunner.silentForProbes(NAMES.size()), deadline);
  }

  /**
   * The probes in the order of {@link #NAMES}; the process probe and the launcher's probes differ inside and outside
   * the launcher.
   */
  private static List<Probe> probes(Settings settings, ServerConnection connection, ServerRestarts restarts,
      Duration deadline, Probe process, List<Probe> launcherProbes) {
    List<Probe> probes = new ArrayList<>(List.of(
        new PostgresqlProbe(connection, LocalConnections.socketFile(settings), restarts),
        PatroniProbe.forSettings(settings, deadline), DiskProbe.forSettings(settings), process));
    probes.addAll(launcherProbes);
    return probes;
  }

  /** Runs every check. */
  public HealthReport check() {
    return check(NAMES);
  }

  /** Runs the named checks only (unknown names are ignored); never takes longer than the deadline. */
  public HealthReport check(Collection<String> names) {
    Instant at = Instant.now();
    Phase current = phase.get();
    if (current != Phase.RUNNING) {
      connection.close(); // an idle client would keep a smart shutdown waiting
    }
    List<Probe> selected = probes.stream().filter(probe -> names.contains(probe.name())).toList();
    List<Probe> toRun = current == Phase.RUNNING ? selected
        : selected.stream().filter(probe -> !serverFacing.contains(probe.name())).toList();
    Map<String, ProbeResult> ran = runner.run(toRun, deadline);
    Map<String, ProbeResult> results = new LinkedHashMap<>();
    for (Probe probe : selected) {
      results.put(probe.name(), ran.containsKey(probe.name()) ? ran.get(probe.name()) : answeredByPhase(current));
    }
    return report(current, at, results);
  }

  private HealthReport report(Phase current, Instant at, Map<String, ProbeResult> results) {
    ProbeStatus status = ProbeStatus.worstOf(results.values().stream().map(ProbeResult::status).toList());
    boolean processDown = results.containsKey(ProcessProbe.NAME)
        && results.get(ProcessProbe.NAME).status() == ProbeStatus.DOWN;
    boolean live = current != Phase.STOPPED && !processDown;
    boolean ready = current == Phase.RUNNING && results.entrySet().stream()
        .filter(result -> serverFacing.contains(result.getKey()))
        .allMatch(result -> result.getValue().status().isServing());
    return new HealthReport(current, status, live, ready, at, results);
  }

  /** What a server-facing probe would say, without running it, outside the RUNNING phase. */
  static ProbeResult answeredByPhase(Phase phase) {
    ProbeResult result = switch (phase) {
      case INITIALISING -> ProbeResult.of(ProbeStatus.STARTING, "initialising: the server is not started yet");
      case STARTING -> ProbeResult.of(ProbeStatus.STARTING, "the server is starting");
      case SLEEPING -> ProbeResult.of(ProbeStatus.SLEEPING, "sleep mode: nothing runs on purpose");
      case SHUTTING_DOWN -> ProbeResult.down("the server is shutting down");
      case STOPPED -> ProbeResult.down("the server has stopped");
      case RUNNING -> throw new IllegalArgumentException("a running server is probed, not answered for");
    };
    return result.withDetails(Map.of("phase", phase.name()));
  }

  /** The connection the probes use, shared with metrics. */
  ServerConnection connection() {
    return connection;
  }

  /** The server's restarts the probes saw, for metrics. */
  ServerRestarts restarts() {
    return restarts;
  }

  @Override
  public void close() {
    runner.close();
    connection.close();
  }
}

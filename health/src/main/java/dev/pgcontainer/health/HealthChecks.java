package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.LocalConnections;
import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.instance.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The probes of one server, checked together with a hard deadline and read in the light of the
 * phase: outside RUNNING the server-facing probes are not run and the phase answers for them
 * (STARTING, SLEEPING, DOWN), so a server on its way up is neither reported broken nor disturbed.
 * Besides the built-in checks, each feature adds one ({@link FeatureCheck}), whose probe the run
 * may supply ({@link #forRun}).
 */
public final class HealthChecks implements AutoCloseable {

  /** Where the built-in checks sit among the features' ({@link FeatureCheck#rank()}). */
  public static final int POSTGRESQL_RANK = 10;

  public static final int DISK_RANK = 30;
  public static final int PROCESS_RANK = 40;

  private final List<String> names;
  private final List<Probe> probes;
  private final Set<String> serverFacing;
  private final Supplier<Phase> phase;
  private final ServerConnection connection;
  private final ServerRestarts restarts;
  private final ProbeRunner runner;
  private final Duration deadline;

  private HealthChecks(
      List<String> names,
      List<Probe> probes,
      Set<String> serverFacing,
      Supplier<Phase> phase,
      ServerConnection connection,
      ServerRestarts restarts,
      ProbeRunner runner,
      Duration deadline) {
    this.names = List.copyOf(names);
    this.probes = List.copyOf(probes);
    this.serverFacing = Set.copyOf(serverFacing);
    this.phase = phase;
    this.connection = connection;
    this.restarts = restarts;
    this.runner = runner;
    this.deadline = deadline;
  }

  /** Every check by name, with {@code features}' checks, in the order reports list them. */
  public static List<String> names(List<? extends FeatureCheck> features) {
    // insertion by rank, in a loop: a healthcheck starts a cold JVM, where a comparator's lambda
    // costs its linking
    List<FeatureCheck> sorted = new ArrayList<>(features.size());
    for (FeatureCheck check : features) {
      int at = sorted.size();
      while (at > 0 && sorted.get(at - 1).rank() > check.rank()) {
        at--;
      }
      sorted.add(at, check);
    }
    List<String> names = new ArrayList<>(sorted.size() + 3);
    int next = 0;
    int[] builtInRanks = {POSTGRESQL_RANK, DISK_RANK, PROCESS_RANK};
    String[] builtInNames = {PostgresqlProbe.NAME, DiskProbe.NAME, ProcessProbe.NAME};
    for (int i = 0; i < builtInRanks.length; i++) {
      while (next < sorted.size() && sorted.get(next).rank() < builtInRanks[i]) {
        names.add(sorted.get(next++).name());
      }
      names.add(builtInNames[i]);
    }
    while (next < sorted.size()) {
      names.add(sorted.get(next++).name());
    }
    return List.copyOf(names);
  }

  /**
   * Inside the launcher: the phase and the server process come from the run's state; a feature's
   * probe comes from {@code fromRun} (at most one per feature check, named like it), else from its
   * {@link FeatureCheck#probe}.
   */
  public static HealthChecks forRun(
      Settings settings,
      RunState state,
      Duration deadline,
      List<? extends FeatureCheck> features,
      List<Probe> fromRun) {
    Map<String, Probe> supplied = new LinkedHashMap<>();
    List<String> featureNames = new ArrayList<>(features.size());
    for (FeatureCheck check : features) {
      featureNames.add(check.name());
    }
    for (Probe probe : fromRun) {
      if (!featureNames.contains(probe.name()) || supplied.put(probe.name(), probe) != null) {
        List<String> given = new ArrayList<>();
        fromRun.forEach(each -> given.add(each.name()));
        throw new IllegalArgumentException(
            "the run supplies at most one probe each of " + featureNames + ", not " + given);
      }
    }
    List<Probe> featureProbes = new ArrayList<>(features.size());
    for (FeatureCheck check : features) {
      Probe probe = supplied.get(check.name());
      featureProbes.add(probe != null ? probe : check.probe(settings, deadline));
    }
    ServerConnection connection = ServerConnection.forSettings(settings, deadline);
    ServerRestarts restarts = new ServerRestarts();
    List<String> names = names(features);
    return new HealthChecks(
        names,
        probes(
            names,
            settings,
            connection,
            restarts,
            new ProcessProbe(state, restarts),
            featureProbes),
        serverFacing(featureNames),
        state::phase,
        connection,
        restarts,
        ProbeRunner.forProbes(names.size()),
        deadline);
  }

  /**
   * Outside the launcher (a healthcheck that could not ask its endpoint), for one check within
   * {@code deadline} from now: the phase is SLEEPING under SLEEP_MODE and otherwise taken to be
   * RUNNING, and the server process is the one PGDATA/postmaster.pid names. Its probes log nothing.
   */
  public static HealthChecks direct(
      Settings settings, Duration deadline, List<? extends FeatureCheck> features) {
    ServerConnection connection = ServerConnection.forOneCheck(settings, deadline);
    ServerRestarts restarts = new ServerRestarts(); // a single check sees no restart
    Phase assumed = settings.sleepMode() ? Phase.SLEEPING : Phase.RUNNING;
    List<String> featureNames = new ArrayList<>(features.size());
    List<Probe> featureProbes = new ArrayList<>(features.size());
    for (FeatureCheck check : features) {
      featureNames.add(check.name());
      featureProbes.add(check.probe(settings, deadline));
    }
    Set<String> serverFacing = serverFacing(featureNames);
    serverFacing.add(ProcessProbe.NAME);
    List<String> names = names(features);
    return new HealthChecks(
        names,
        probes(
            names,
            settings,
            connection,
            restarts,
            new PidFileProbe(settings.directories().data()),
            featureProbes),
        serverFacing,
        () -> assumed,
        connection,
        restarts,
        ProbeRunner.silentForProbes(names.size()),
        deadline);
  }

  /** The checks that look at the server: postgresql and the features'. */
  private static Set<String> serverFacing(List<String> featureNames) {
    Set<String> serverFacing = new HashSet<>(featureNames);
    serverFacing.add(PostgresqlProbe.NAME);
    return serverFacing;
  }

  /**
   * The probes in the order of {@code names}; the process probe and the features' differ inside and
   * outside a run.
   */
  private static List<Probe> probes(
      List<String> names,
      Settings settings,
      ServerConnection connection,
      ServerRestarts restarts,
      Probe process,
      List<Probe> featureProbes) {
    Map<String, Probe> byName = new HashMap<>();
    byName.put(
        PostgresqlProbe.NAME,
        new PostgresqlProbe(connection, LocalConnections.socketFile(settings), restarts));
    byName.put(DiskProbe.NAME, DiskProbe.forSettings(settings));
    byName.put(ProcessProbe.NAME, process);
    for (Probe probe : featureProbes) {
      byName.put(probe.name(), probe);
    }
    List<Probe> probes = new ArrayList<>(names.size());
    for (String name : names) {
      probes.add(byName.get(name));
    }
    return probes;
  }

  /** Runs every check. */
  public HealthReport check() {
    return check(names);
  }

  /**
   * Runs the named checks only (unknown names are ignored); never takes longer than the deadline.
   */
  public HealthReport check(Collection<String> names) {
    Instant at = Instant.now();
    Phase current = phase.get();
    if (current != Phase.RUNNING) {
      connection.close(); // an idle client would keep a smart shutdown waiting
    }
    List<Probe> selected = probes.stream().filter(probe -> names.contains(probe.name())).toList();
    List<Probe> toRun =
        current == Phase.RUNNING
            ? selected
            : selected.stream().filter(probe -> !serverFacing.contains(probe.name())).toList();
    Map<String, ProbeResult> ran = runner.run(toRun, deadline);
    Map<String, ProbeResult> results = new LinkedHashMap<>();
    for (Probe probe : selected) {
      results.put(
          probe.name(),
          ran.containsKey(probe.name()) ? ran.get(probe.name()) : answeredByPhase(current));
    }
    return report(current, at, results);
  }

  private HealthReport report(Phase current, Instant at, Map<String, ProbeResult> results) {
    ProbeStatus status =
        ProbeStatus.worstOf(results.values().stream().map(ProbeResult::status).toList());
    boolean processDown =
        results.containsKey(ProcessProbe.NAME)
            && results.get(ProcessProbe.NAME).status() == ProbeStatus.DOWN;
    boolean live = current != Phase.STOPPED && !processDown;
    boolean ready =
        current == Phase.RUNNING
            && results.entrySet().stream()
                .filter(result -> serverFacing.contains(result.getKey()))
                .allMatch(result -> result.getValue().status().isServing());
    return new HealthReport(current, status, live, ready, at, results);
  }

  /** What a server-facing probe would say, without running it, outside the RUNNING phase. */
  static ProbeResult answeredByPhase(Phase phase) {
    ProbeResult result =
        switch (phase) {
          case INITIALISING ->
              ProbeResult.of(ProbeStatus.STARTING, "initialising: the server is not started yet");
          case STARTING -> ProbeResult.of(ProbeStatus.STARTING, "the server is starting");
          case SLEEPING ->
              ProbeResult.of(ProbeStatus.SLEEPING, "sleep mode: nothing runs on purpose");
          case SHUTTING_DOWN -> ProbeResult.down("the server is shutting down");
          case STOPPED -> ProbeResult.down("the server has stopped");
          case RUNNING ->
              throw new IllegalArgumentException("a running server is probed, not answered for");
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

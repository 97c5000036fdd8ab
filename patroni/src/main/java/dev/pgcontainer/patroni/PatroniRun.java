package dev.pgcontainer.patroni;

import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Secret;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.DataDirectory;
import dev.pgcontainer.instance.PostgresInstance;
import dev.pgcontainer.instance.RunExtension;
import dev.pgcontainer.instance.ServerManager;
import dev.pgcontainer.instance.ServerSetup;
import dev.pgcontainer.instance.ServerUser;
import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.supervision.ProcessSpec;
import dev.pgcontainer.supervision.ReadinessCheck;
import dev.pgcontainer.supervision.StopLadder;
import dev.pgcontainer.supervision.StopTarget;
import dev.pgcontainer.supervision.Supervisor;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server manager with {@code PATRONI_ENABLE=true}: Patroni is the supervised child and manages
 * postgres (initdb, pg_basebackup, promotion, pg_rewind). The launcher checks and renders, waits
 * for etcd, starts Patroni, waits until its REST API reports PostgreSQL running in a cluster with a
 * leader, patches the DCS ({@link ClusterWideSettings}), applies the passwords on the leader, and
 * stops through {@link StopLadder#termThenKill} and {@link PatroniProcesses}. Each step's rules:
 * docs/patroni.md.
 */
final class PatroniRun implements ServerManager {

  private static final Logger LOG = LoggerFactory.getLogger(PatroniRun.class);

  /**
   * Patroni's REST API is asked at most this often while the launcher waits; each answer costs
   * Patroni 1-4 ms.
   */
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  /**
   * For the wait Patroni owns (see the class comment): long enough never to end, short enough not
   * to overflow.
   */
  private static final Duration NO_LAUNCHER_DEADLINE = Duration.ofDays(3650);

  /** A stateless manager: each {@link #begin} holds its run's values. */
  public PatroniRun() {}

  @Override
  public Steps begin(ServerSetup setup) {
    Settings settings = setup.settings();
    PgInstallation installation = setup.installation();
    ServerUser user = setup.user();
    Path program = patroniProgram(setup.environment());
    WatchdogDevice.check(PatroniSettings.of(settings), user);
    PatroniConfig config =
        PatroniConfig.of(
            RenderInput.of(settings, user.account().name())
                .withServerBinDir(installation.binDir()));
    return new Steps() {
      @Override
      public boolean makeCluster(
          PostgresInstance instance, Supervisor supervisor, List<RunExtension> extensions) {
        leaveDataDirectoryToPatroni(instance.dataDirectory(), installation);
        return false;
      }

      @Override
      public Server start(
          PostgresInstance instance,
          Supervisor supervisor,
          List<RunExtension> extensions,
          boolean newCluster) {
        ClusterWideSettings clusterWideSettings =
            ClusterWideSettings.remembered(
                instance.dataDirectory().path(),
                PatroniSettings.of(settings).name(),
                setup.switchTo());
        EtcdReachability.await(
            PatroniSettings.of(settings).etcdHosts(), settings.timeout(), supervisor);
        supervisor.checkNotStopped("the start of Patroni");
        ManagedProcess patroni = ManagedProcess.start(patroniSpec(settings, instance, program));
        LOG.info(
            "started Patroni {} (pid {}) for member {} of cluster {}; etcd at {}",
            program,
            patroni.pid(),
            PatroniSettings.of(settings).name(),
            PatroniSettings.of(settings).scope(),
            PatroniSettings.of(settings).etcdHosts());
        return new Member(
            settings,
            instance,
            patroni,
            PatroniProcesses.of(patroni, instance.dataDirectory().path()),
            PatroniRestApi.listeningAt(PatroniSettings.of(settings).restApiListen()),
            clusterWideSettings,
            config.bootstrap().dcs());
      }
    };
  }

  /**
   * This member's Patroni, started: {@link RunExtension#afterReady} and {@link RunExtension#onStop}
   * only apply.
   */
  private static final class Member implements Server {
    private final Settings settings;
    private final PostgresInstance instance;
    private final ManagedProcess patroni;
    private final PatroniProcesses processes;
    private final PatroniRestApi api;
    private final ClusterWideSettings clusterWideSettings;
    private final PatroniConfig.Dcs clusterWide;

    Member(
        Settings settings,
        PostgresInstance instance,
        ManagedProcess patroni,
        PatroniProcesses processes,
        PatroniRestApi api,
        ClusterWideSettings clusterWideSettings,
        PatroniConfig.Dcs clusterWide) {
      this.settings = settings;
      this.instance = instance;
      this.patroni = patroni;
      this.processes = processes;
      this.api = api;
      this.clusterWideSettings = clusterWideSettings;
      this.clusterWide = clusterWide;
    }

    @Override
    public ManagedProcess process() {
      return patroni;
    }

    @Override
    public StopTarget stopTarget() {
      return processes;
    }

    @Override
    public StopLadder ladder() {
      return StopLadder.termThenKill(settings.timeout());
    }

    @Override
    public String awaitReady(Supervisor supervisor, List<RunExtension> extensions) {
      PatroniRestApi.MemberStatus member =
          PatroniRun.awaitReady(settings, supervisor, patroni, api);
      clusterWideSettings.apply(api, clusterWide);
      if (member.leader()) {
        instance.createDatabaseIfMissing(settings.passwordChangeTimeout());
        instance.applyPassword(settings.passwordChangeTimeout());
        applyReplicationPassword(settings, instance);
      }
      return member.leader()
          ? " as the Patroni leader (read-write)"
          : " as a Patroni replica (read-only, following the leader)";
    }

    /**
     * Makes the replication role's password {@code PATRONI_REPLICATION_PASSWORD}. Patroni sets it
     * only when it creates the cluster, and uses the variable for its own connections, so a changed
     * value would otherwise never reach the role.
     */
    private static void applyReplicationPassword(Settings settings, PostgresInstance instance) {
      PatroniSettings patroni = PatroniSettings.of(settings);
      patroni
          .replicationPassword()
          .ifPresent(
              password ->
                  instance.applyRolePassword(
                      patroni.replicationUser(),
                      password,
                      "PATRONI_REPLICATION_PASSWORD",
                      settings.passwordChangeTimeout()));
    }

    /**
     * The environment cannot change without a restart, so the cluster-wide settings patch nothing
     * here unless the start's own patch failed; in particular it never undoes a {@code patronictl
     * edit-config}.
     */
    @Override
    public void reload() {
      instance.writeConfiguration();
      patroni.signal(PosixSignal.HUP);
      clusterWideSettings.apply(api, clusterWide);
    }

    @Override
    public void afterStop() {
      processes.fence();
    }
  }

  /** The two waits of the class comment; returns the member's status once PostgreSQL runs. */
  private static PatroniRestApi.MemberStatus awaitReady(
      Settings settings, Supervisor supervisor, ManagedProcess patroni, PatroniRestApi api) {
    AtomicReference<PatroniRestApi.MemberStatus> last = new AtomicReference<>();
    supervisor.awaitReady(
        patroni,
        "Patroni's REST API answers at " + api.base(),
        polled(api, last, status -> true),
        settings.timeout());
    supervisor.awaitReady(
        patroni,
        "Patroni reports PostgreSQL running in a cluster with a leader (GET /patroni)",
        polled(api, last, PatroniRestApi.MemberStatus::ready),
        NO_LAUNCHER_DEADLINE);
    return last.get();
  }

  /**
   * Asks the API at most every {@link #POLL_INTERVAL}, logging each state Patroni reports for the
   * first time.
   */
  private static ReadinessCheck polled(
      PatroniRestApi api,
      AtomicReference<PatroniRestApi.MemberStatus> last,
      Predicate<PatroniRestApi.MemberStatus> ready) {
    long[] nextPoll = {System.nanoTime()};
    return process -> {
      if (System.nanoTime() - nextPoll[0] < 0) {
        return false;
      }
      nextPoll[0] = System.nanoTime() + POLL_INTERVAL.toNanos();
      PatroniRestApi.MemberStatus status = api.status();
      PatroniRestApi.MemberStatus previous = last.getAndSet(status);
      if (!status.equals(previous)) {
        LOG.info(
            "Patroni reports PostgreSQL {} (role {}{})",
            status.state(),
            status.role(),
            status.clusterUnlocked()
                ? ", no leader yet"
                : status.holdsLeaderKey() ? ", this member leads: promoting" : "");
      }
      return ready.test(status);
    };
  }

  /**
   * Patroni makes the cluster (initdb or a base backup) into an empty PGDATA and runs an existing
   * one; anything else is an error that says what to do. A cluster the launcher began making
   * without Patroni and never finished is removed, as the standalone run would.
   */
  private static void leaveDataDirectoryToPatroni(
      DataDirectory dataDirectory, PgInstallation installation) {
    if (dataDirectory.inspect(installation.majorVersion())
        == DataDirectory.State.INTERRUPTED_INIT) {
      LOG.warn(
          "PGDATA {} holds an initialisation that was interrupted; removing it so that Patroni can make the"
              + " member",
          dataDirectory.path());
      dataDirectory.discardInterruptedInit();
    }
  }

  /**
   * Patroni as a child of the instance (whitelisted environment, next to PGDATA, as the server's OS
   * user), with the two passwords in the only variables Patroni reads them from; Patroni removes
   * them from the environment of everything it starts.
   */
  private static ProcessSpec patroniSpec(
      Settings settings, PostgresInstance instance, Path program) {
    Path configFile = ConfigLayout.of(settings).file(PatroniConfig.FILE);
    return instance
        .spec("patroni", List.of(program.toString(), configFile.toString()))
        .putEnvironment("PATRONI_SUPERUSER_PASSWORD", required(settings.superuser().password()))
        .putEnvironment(
            "PATRONI_REPLICATION_PASSWORD",
            required(PatroniSettings.of(settings).replicationPassword()))
        .parentDeathSignal(
            PosixSignal
                .TERM) // a dead launcher's Patroni stops its postgres and hands the leader key on
        .build();
  }

  /** Validation guarantees both passwords with Patroni enabled; Patroni reads them as text. */
  private static String required(Optional<Secret> secret) {
    return secret
        .orElseThrow(() -> new IllegalStateException("a password Patroni needs was not validated"))
        .reveal();
  }

  private static Path patroniProgram(Map<String, String> environment) {
    String path = environment.getOrDefault("PATH", "");
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(directory -> !directory.isEmpty())
        .map(directory -> Path.of(directory, "patroni"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new PgcontainerException(
                    "PATRONI_ENABLE=true, but there is no patroni program on PATH ("
                        + path
                        + "): install Patroni in the image (apt-get install patroni), or set PATRONI_ENABLE=false"));
  }
}

package dev.pgcontainer.instance;

import dev.pgcontainer.configrender.ConfigContributor;
import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.configrender.ConfigRenderer;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.configrender.RenderedFileWriter;
import dev.pgcontainer.configrender.WriteReport;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Secret;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.supervision.Commands;
import dev.pgcontainer.supervision.Durations;
import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.OsUser;
import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.supervision.ProcessSpec;
import dev.pgcontainer.supervision.ReadinessCheck;
import dev.pgcontainer.supervision.StopLadder;
import dev.pgcontainer.supervision.StopRequested;
import dev.pgcontainer.supervision.Supervisor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL instance as the launcher manages it (the library half of {@code pgcontainer run},
 * in the manner of CloudNativePG's instance manager): its data directory, initialisation,
 * configuration files, the server process and what the launcher does through its own connection.
 */
public final class PostgresInstance {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresInstance.class);

  /**
   * initdb takes about 2 s here; a slow disk or big initdb arguments get generous room, but not
   * forever.
   */
  private static final Duration MIN_INIT_TIMEOUT = Duration.ofMinutes(2);

  private static final String POSTMASTER_PID = "postmaster.pid";

  /**
   * The mode initdb gives a cluster directory (without --allow-group-access; the template restores
   * its own).
   */
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  /**
   * How often a recovering server is asked whether recovery has ended: each question is a new
   * backend.
   */
  private static final Duration RECOVERY_POLL = Duration.ofMillis(200);

  private static final int PID_FILE_STATUS_LINE = 8;

  /**
   * A postmaster whose launcher died (SIGKILL, the OOM killer) shuts down fast by itself: a clean
   * shutdown, and no server runs unsupervised. Should it hang (a stuck backend), the next start
   * stops it ({@link Leftovers}).
   */
  private static final PosixSignal SERVER_PARENT_DEATH_SIGNAL = PosixSignal.INT;

  /** SQLSTATE 28000, which PostgreSQL also gives for a login as a role that does not exist. */
  private static final String INVALID_AUTHORIZATION = "28000";

  private final Settings settings;
  private final PgInstallation installation;
  private final Optional<OsUser> runAs;
  private final String serverUserName;
  private final Map<String, String> childEnvironment;
  private final List<ConfigContributor> config;
  private final DataDirectory dataDirectory;
  private final ConfigLayout layout;
  private final ConfigRenderer renderer;
  private final Optional<ClusterTemplates> templates;

  private PostgresInstance(
      Settings settings,
      PgInstallation installation,
      Optional<OsUser> runAs,
      String serverUserName,
      Map<String, String> launcherEnvironment,
      List<ConfigContributor> config,
      Optional<ClusterTemplates> templates) {
    this.settings = settings;
    this.installation = installation;
    this.runAs = runAs;
    this.serverUserName = serverUserName;
    this.childEnvironment = ProcessSpec.inheritableEnvironment(launcherEnvironment);
    this.config = config;
    this.dataDirectory = DataDirectory.at(settings.directories().data());
    this.layout = ConfigLayout.of(settings);
    this.renderer = ConfigRenderer.withDefaultTemplates();
    this.templates = templates;
  }

  /** The instance of {@code setup}, which must have the server binaries. */
  public static PostgresInstance of(ServerSetup setup) {
    return new PostgresInstance(
        setup.settings(),
        setup.installation(),
        setup.switchTo(),
        setup.user().account().name(),
        setup.environment(),
        setup.features().config(),
        Optional.empty());
  }

  /**
   * This instance, whose initdb copies the template of {@code templates} made for the same initdb
   * arguments and database when there is one ({@link ClusterTemplates}).
   */
  public PostgresInstance withClusterTemplates(ClusterTemplates templates) {
    return new PostgresInstance(
        settings,
        installation,
        runAs,
        serverUserName,
        childEnvironment,
        config,
        Optional.of(templates));
  }

  public DataDirectory dataDirectory() {
    return dataDirectory;
  }

  /**
   * Makes the cluster when PGDATA has none: initdb into the init directory, the database of {@code
   * POSTGRES_DB} in single-user mode (no network), then the move into place. A stop signal or a
   * failure removes the partial cluster.
   *
   * @return true when a new cluster was made
   */
  public boolean initialise(Supervisor supervisor) {
    return initialise(supervisor, new Initdb(Optional.empty()));
  }

  /**
   * As {@link #initialise(Supervisor)}, and a new cluster runs {@code scripts} before it is moved
   * into place (the official image's {@code /docker-entrypoint-initdb.d}): a failing script leaves
   * no cluster behind.
   *
   * @return true when a new cluster was made
   */
  public boolean initialise(Supervisor supervisor, InitScripts scripts) {
    return initialise(supervisor, new Initdb(Optional.of(scripts)));
  }

  /**
   * As {@link #initialise(Supervisor)}, but {@code source} makes the cluster in the init directory
   * (e.g. a restore from a backup); the same protocol keeps a half-made cluster from ever passing
   * for a good one.
   *
   * @return true when a new cluster was made
   */
  public boolean initialise(Supervisor supervisor, ClusterSource source) {
    if (source instanceof Initdb initdb) {
      Optional<Path> archive = templateArchive();
      if (takeStagedUnpack(archive)) {
        make(initdb.unpackedBefore(archive.get()), supervisor);
        return true;
      }
    } else {
      takeStagedUnpack(Optional.empty());
    }
    DataDirectory.State state = dataDirectory.inspect(installation.majorVersion());
    if (state == DataDirectory.State.CLUSTER) {
      LOG.info(
          "PGDATA {} holds a PostgreSQL {} cluster",
          dataDirectory.path(),
          installation.majorVersion());
      return false;
    }
    if (state == DataDirectory.State.INTERRUPTED_INIT) {
      LOG.warn(
          "PGDATA {} holds an initialisation that was interrupted; removing it and initialising again",
          dataDirectory.path());
      dataDirectory.discardInterruptedInit();
    }
    make(source, supervisor);
    return true;
  }

  /**
   * Replaces the cluster in PGDATA with one {@code source} makes (e.g. {@code pgcontainer
   * restore}); the server must be stopped ({@link DataDirectory#requireNoRunningServer()}). The
   * current cluster is set aside inside PGDATA, the new one is made by the init protocol, and the
   * old one is deleted only once the new one is complete; on any failure, or a stop signal, the old
   * one is put back.
   */
  public void replaceCluster(Supervisor supervisor, ClusterSource source) {
    takeStagedUnpack(Optional.empty());
    DataDirectory.State state = dataDirectory.inspect(installation.majorVersion());
    if (state == DataDirectory.State.INTERRUPTED_INIT) {
      dataDirectory.discardInterruptedInit();
    }
    boolean setAside = state == DataDirectory.State.CLUSTER;
    if (setAside) {
      dataDirectory.setClusterAside();
      LOG.info(
          "the cluster in {} is set aside in {} until its replacement is made",
          dataDirectory.path(),
          dataDirectory.previousClusterDirectory());
    }
    try {
      make(source, supervisor);
    } catch (RuntimeException e) {
      if (setAside) {
        dataDirectory.putClusterBack();
        LOG.info("the previous cluster is back in {}", dataDirectory.path());
      }
      throw e;
    }
    if (setAside) {
      dataDirectory.discardClusterSetAside();
      LOG.info("the previous cluster is deleted: its replacement is complete");
    }
  }

  /**
   * The init protocol around {@code source}: into the init directory, moved into PGDATA when
   * complete.
   */
  private void make(ClusterSource source, Supervisor supervisor) {
    Path target = dataDirectory.initTarget();
    long start = System.nanoTime();
    try {
      LOG.info(
          "making a PostgreSQL {} cluster in {}: {}",
          installation.version(),
          dataDirectory.path(),
          source.description());
      source.create(this, target, supervisor);
      supervisor.checkNotStopped("initialisation");
      dataDirectory.completeInit();
    } catch (RuntimeException e) {
      DataDirectory.deleteHalfMadeCluster(target);
      throw e;
    }
    LOG.info("cluster made in {} ms", (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * The launcher's own way: initdb, then the database of {@code POSTGRES_DB} in single-user mode
   * (no network), then the init scripts, if any, on a server reachable through the socket only.
   */
  private final class Initdb implements ClusterSource {
    private final Optional<InitScripts> initScripts;
    private final Optional<Path> unpackedTemplate;

    Initdb(Optional<InitScripts> initScripts) {
      this(initScripts, Optional.empty());
    }

    private Initdb(Optional<InitScripts> initScripts, Optional<Path> unpackedTemplate) {
      this.initScripts = initScripts;
      this.unpackedTemplate = unpackedTemplate;
    }

    /** This initdb, whose target already holds the unpacked template {@code archive}. */
    Initdb unpackedBefore(Path archive) {
      return new Initdb(initScripts, Optional.of(archive));
    }

    @Override
    public String description() {
      return "initdb";
    }

    @Override
    public void create(PostgresInstance instance, Path target, Supervisor supervisor) {
      Duration timeout =
          settings.timeout().compareTo(MIN_INIT_TIMEOUT) > 0
              ? settings.timeout()
              : MIN_INIT_TIMEOUT;
      Optional<FutureTask<List<String>>> copySynced =
          copiedTemplate(target, supervisor, timeout, unpackedTemplate);
      if (copySynced.isEmpty()) {
        initdbAndDatabase(target, supervisor, timeout);
      }
      try {
        setPassword(target, supervisor, timeout);
        if (initScripts.isPresent()) {
          runInitScripts(initScripts.get(), initScripts.get().scripts(), target, supervisor);
        }
        if (copySynced.isPresent()) {
          awaitSync(copySynced.get(), target, supervisor);
        }
      } finally {
        copySynced.ifPresent(
            sync ->
                sync.cancel(true)); // a sync still running when the cluster is discarded is killed
      }
    }
  }

  private void initdbAndDatabase(Path target, Supervisor supervisor, Duration timeout) {
    supervisor.run(initdb(target), timeout);
    String database = settings.superuser().database();
    if (!database.equals("postgres")) {
      supervisor.run(
          singleUser(
              target,
              "template1",
              "CREATE DATABASE "
                  + quoteIdentifier(database)
                  + " OWNER "
                  + quoteIdentifier(settings.superuser().name())),
          timeout);
    }
  }

  /**
   * Gives the new cluster's superuser {@code POSTGRES_PASSWORD} in single-user mode (no network, as
   * initdb's --pwfile sets it), before any server of it starts: a client can never log in without
   * it, and no connection of the launcher's is needed. The password reaches the backend on its
   * stdin (never its arguments), and the backend logs neither the statement nor, on an error, the
   * statement's text. The server hashes it (password_encryption; SCRAM's 4096 rounds of PBKDF2 take
   * it a few milliseconds, where the launcher's still interpreted code took 0.2-0.8 s on a busy
   * machine, on a first start's critical path once the template is unpacked ahead).
   */
  private void setPassword(Path target, Supervisor supervisor, Duration timeout) {
    Optional<Secret> password = settings.superuser().password();
    if (password.isEmpty()) {
      return;
    }
    String role = settings.superuser().name();
    String encryption =
        settings.externalAccess().method() == Settings.AuthMethod.MD5 ? "md5" : "scram-sha-256";
    supervisor.run(
        singleUser(
            target,
            "template1",
            "ALTER ROLE "
                + quoteIdentifier(role)
                + " PASSWORD "
                + singleLineLiteral(password.get().reveal()),
            "log_min_error_statement=panic",
            "password_encryption=" + encryption),
        timeout);
    LOG.info("set the password of {} ({}) in single-user mode", role, encryption);
  }

  /**
   * {@code value} as an escape string constant on one line: the single-user backend takes a newline
   * for the end of the statement.
   */
  static String singleLineLiteral(String value) {
    return "E'"
        + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
        + "'";
  }

  /**
   * Copies the template made for this instance's initdb arguments and database into {@code target},
   * with a system identifier and nonce of its own, and starts syncing it to disk as initdb syncs;
   * empty when there is none or the copy failed (then {@code target} is gone and initdb makes the
   * cluster). The sync runs while the password and the init scripts are set up; the cluster counts
   * as made only once it is done ({@link #awaitSync}). When {@code unpacked} names the archive, the
   * start script has unpacked it into {@code target} already ({@link StagedUnpack}).
   */
  private Optional<FutureTask<List<String>>> copiedTemplate(
      Path target, Supervisor supervisor, Duration timeout, Optional<Path> unpacked) {
    long start = System.nanoTime();
    try {
      Optional<Path> archive = unpacked.isPresent() ? unpacked : templateArchive();
      if (archive.isEmpty()) {
        return Optional.empty();
      }
      if (unpacked.isEmpty()) {
        Files.createDirectory(target, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        runAs.ifPresent(user -> setOwner(target, user));
        supervisor.run(
            spec("tar", ClusterTemplates.unpackCommand(archive.get(), target))
                .parentDeathSignal(PosixSignal.KILL)
                .build(),
            timeout);
      }
      ClusterIdentity.renew(
          target, ClusterIdentity.newSystemIdentifier(), ClusterIdentity.newNonce());
      LOG.info(
          "copied the cluster template {} (made by initdb with the same arguments) in {} ms{}; system identifier {}",
          archive.get(),
          (System.nanoTime() - start) / 1_000_000,
          unpacked.isPresent() ? ", unpacked by the start script while the launcher started" : "",
          ClusterIdentity.systemIdentifier(target));
      // syncfs(2) where initdb --sync-only fsyncs each of the thousand files (1.2 s against 0.07 s
      // measured on one disk), as PostgreSQL's recovery_init_sync_method can
      ProcessSpec sync =
          spec("sync", List.of("sync", "--file-system", target.toString()))
              .parentDeathSignal(PosixSignal.KILL)
              .build();
      FutureTask<List<String>> synced = new FutureTask<>(() -> Commands.run(sync, timeout));
      Thread syncing = new Thread(synced, "cluster-sync");
      syncing.setDaemon(true);
      syncing.start();
      return Optional.of(synced);
    } catch (StopRequested e) {
      throw e; // the caller removes the half-made cluster
    } catch (PgcontainerException | IOException e) {
      LOG.warn("{}; running initdb instead", e.getMessage());
      DataDirectory.deleteHalfMadeCluster(target);
      return Optional.empty();
    }
  }

  /**
   * Waits for the sync of a copied template: on disk before the cluster counts as made, as initdb
   * syncs.
   */
  private static void awaitSync(
      FutureTask<List<String>> synced, Path target, Supervisor supervisor) {
    long start = System.nanoTime();
    Optional<Throwable> failed =
        supervisor.interruptibly(
            "sync of the new cluster",
            () -> {
              try {
                synced.get();
                return Optional.<Throwable>empty();
              } catch (ExecutionException e) {
                return Optional.of(e.getCause());
              }
            });
    if (failed.isPresent()) {
      throw failed.get() instanceof PgcontainerException failure
          ? failure
          : new PgcontainerException(
              "could not sync the new cluster in " + target + ": " + failed.get(), failed.get());
    }
    LOG.info(
        "the new cluster is synced to disk (waited {} ms for it)",
        (System.nanoTime() - start) / 1_000_000);
  }

  private static void setOwner(Path path, OsUser user) {
    try {
      Files.setAttribute(path, "unix:uid", user.uid());
      Files.setAttribute(path, "unix:gid", user.gid());
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not give " + path + " to " + user.name() + ": " + e.getMessage(), e);
    }
  }

  /** The template made for this instance's initdb arguments and database, if there is one. */
  private Optional<Path> templateArchive() {
    return templates.flatMap(t -> t.matching(templateKey()));
  }

  /**
   * Settles the unpack the start script began, if any ({@link StagedUnpack}): true when it holds
   * {@code archive}, the template this start copies, in the init directory; otherwise it is gone.
   */
  private boolean takeStagedUnpack(Optional<Path> archive) {
    return templates
        .flatMap(ClusterTemplates::staged)
        .map(unpack -> unpack.take(archive, dataDirectory.path()))
        .orElse(false);
  }

  /** What a cluster this instance makes depends on (see {@link ClusterTemplates#key}). */
  private String templateKey() {
    List<String> command = initdb(Path.of("target")).command();
    List<String> arguments =
        command.subList(1, command.size()).stream()
            .filter(argument -> !argument.startsWith("--pgdata="))
            .toList();
    return ClusterTemplates.key(
        installation.version(), arguments, settings.superuser().database(), childEnvironment);
  }

  /**
   * Makes the cluster a first start of this instance would make, without init scripts or password,
   * and keeps it as a template in {@code into}; PGDATA must be empty, and is empty again
   * afterwards.
   */
  public void makeClusterTemplate(Supervisor supervisor, ClusterTemplates into) {
    if (dataDirectory.inspect(installation.majorVersion()) != DataDirectory.State.EMPTY) {
      throw new PgcontainerException(
          "PGDATA "
              + dataDirectory.path()
              + " is not empty: a cluster template is made"
              + " in an empty directory");
    }
    Duration timeout =
        settings.timeout().compareTo(MIN_INIT_TIMEOUT) > 0 ? settings.timeout() : MIN_INIT_TIMEOUT;
    Path target = dataDirectory.initTarget();
    String key = templateKey();
    try {
      initdbAndDatabase(target, supervisor, timeout);
      into.store(target, key, supervisor, childEnvironment, timeout);
    } finally {
      DataDirectory.deleteHalfMadeCluster(target);
    }
    LOG.info("made the cluster template for:\n{}", key);
  }

  /**
   * Starts the new cluster (its password set already) without a TCP listener, runs the scripts, and
   * stops it cleanly (a fast shutdown: a client a script left running is disconnected). As on the
   * official image this happens even without scripts: its "ready to accept connections" is the
   * first of the two a first start prints, which clients such as Testcontainers'
   * PostgreSQLContainer wait for.
   */
  private void runInitScripts(
      InitScripts initScripts, List<Path> scripts, Path target, Supervisor supervisor) {
    LOG.info(
        "starting the new cluster on its socket only for the {} init script(s) in {}",
        scripts.size(),
        initScripts.directory());
    writeConfiguration();
    ManagedProcess server = startUnlisted(target);
    // fast, as the official entrypoint's pg_ctl -m fast: no client of this server needs to finish
    StopLadder ladder = StopLadder.postgres(settings.timeout()).fast();
    try {
      supervisor.awaitReady(
          server,
          "accepting connections on its socket",
          pidFileStatusIn(target, List.of("ready")),
          settings.timeout());
      initScripts.run(scripts, settings, this, target, supervisor);
    } catch (RuntimeException e) {
      Supervisor.stop(server, ladder);
      throw e;
    }
    if (Supervisor.stop(server, ladder) != 0) {
      throw new PgcontainerException(
          "the server the init scripts ran on did not shut down cleanly within "
              + settings.timeout().toSeconds()
              + " s (TIMEOUT); the new cluster is discarded and made again at the next"
              + " start");
    }
    LOG.info("PostgreSQL init process complete; ready for start up");
  }

  private ProcessSpec initdb(Path target) {
    List<String> command =
        new ArrayList<>(
            List.of(
                installation.binary("initdb").toString(),
                "--pgdata=" + target,
                "--username=" + settings.superuser().name(),
                "--auth-local=peer",
                "--auth-host=" + settings.externalAccess().method().keyword(),
                "--encoding=UTF8",
                "--locale=C.UTF-8"));
    command.addAll(settings.superuser().initdbArguments()); // last, so the user's choices win
    return spec("initdb", command)
        .parentDeathSignal(PosixSignal.KILL)
        .build(); // its work is discarded anyway
  }

  /**
   * A statement run by the single-user backend, which reads it from stdin; exit_on_error makes a
   * failure exit 1. {@code settings} are more {@code name=value} server settings.
   */
  private ProcessSpec singleUser(
      Path dataDir, String database, String statement, String... settings) {
    List<String> command =
        new ArrayList<>(
            List.of(
                installation.binary("postgres").toString(),
                "--single",
                "-D",
                dataDir.toString(),
                "-c",
                "exit_on_error=on",
                "-c",
                "log_statement=none"));
    for (String setting : settings) {
      command.addAll(List.of("-c", setting));
    }
    command.add(database);
    return spec("postgres-single", command)
        .stdin(Secret.of(statement + "\n"))
        .parentDeathSignal(PosixSignal.KILL)
        .build();
  }

  /** Renders and writes the configuration files; returns what changed. */
  public WriteReport writeConfiguration() {
    RenderedFileWriter writer = RenderedFileWriter.of(layout);
    if (runAs.isPresent()) {
      writer = writer.withOwner(runAs.get().name(), runAs.get().name());
    }
    return writer.write(
        renderer.render(
            RenderInput.of(settings, serverUserName)
                .withServerBinDir(installation.binDir())
                .withContributors(config)));
  }

  /**
   * Starts {@code postgres} in the foreground as a direct child, with the launcher's configuration
   * file. It shuts down fast when the calling thread ends (see {@link
   * ProcessSpec#parentDeathSignal()}): call it from the thread that supervises the server.
   *
   * @param extraEnvironment variables on top of the launcher's whitelist (see {@link
   *     RunExtension#serverEnvironment()})
   */
  public ManagedProcess start(Map<String, String> extraEnvironment) {
    ManagedProcess process = ManagedProcess.start(serverSpec(extraEnvironment));
    LOG.info("started postgres (pid {}) from {}", process.pid(), installation.binDir());
    return process;
  }

  /** How {@link #start} starts the server. */
  ProcessSpec serverSpec(Map<String, String> extraEnvironment) {
    ProcessSpec.Builder builder =
        spec(
                "postgres",
                List.of(
                    installation.binary("postgres").toString(),
                    "-D",
                    dataDirectory.path().toString(),
                    "-c",
                    "config_file=" + layout.mainConfigFile()))
            .parentDeathSignal(SERVER_PARENT_DEATH_SIGNAL);
    extraEnvironment.forEach(builder::putEnvironment);
    return builder.build();
  }

  /**
   * Starts {@code postgres} on a cluster that is still being made in {@code clusterDirectory} (e.g.
   * restored into the init directory and recovering), with the launcher's configuration but no TCP
   * listener: only the launcher, through the socket, reaches it before the cluster is complete. As
   * with {@link #start}, the calling thread must outlive it.
   */
  public ManagedProcess startUnlisted(Path clusterDirectory) {
    ProcessSpec server =
        spec(
                "postgres",
                List.of(
                    installation.binary("postgres").toString(),
                    "-D",
                    clusterDirectory.toString(),
                    "-c",
                    "config_file=" + layout.mainConfigFile(),
                    "-c",
                    "listen_addresses="))
            .parentDeathSignal(SERVER_PARENT_DEATH_SIGNAL)
            .build();
    ManagedProcess process = ManagedProcess.start(server);
    LOG.info(
        "started postgres (pid {}) on {}, reachable through the socket only",
        process.pid(),
        clusterDirectory);
    return process;
  }

  /**
   * Ready when the postmaster says so in its pid file, as {@code pg_ctl -w} checks: "ready" or
   * "standby".
   */
  public ReadinessCheck acceptingConnections() {
    return pidFileStatusIn(dataDirectory.path(), List.of("ready", "standby"));
  }

  /**
   * Ready when the server on {@code clusterDirectory} has ended recovery (e.g. a restored cluster
   * reached its target and was promoted), not merely reached a consistent read-only state: the pid
   * file says "ready" for both, so once it does, {@code pg_is_in_recovery()} is asked through the
   * socket, at most every {@link #RECOVERY_POLL}.
   */
  public ReadinessCheck recoveryEnded(Path clusterDirectory) {
    ReadinessCheck accepting = pidFileStatusIn(clusterDirectory, List.of("ready"));
    long[] nextQuery = {System.nanoTime()};
    return process -> {
      if (!accepting.isReady(process) || System.nanoTime() - nextQuery[0] < 0) {
        return false;
      }
      nextQuery[0] = System.nanoTime() + RECOVERY_POLL.toNanos();
      try (Connection connection =
              LocalConnections.forSettings(settings)
                  .open(settings.superuser().database(), RECOVERY_POLL);
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT pg_is_in_recovery()")) {
        return rows.next() && !rows.getBoolean(1);
      }
    };
  }

  private static ReadinessCheck pidFileStatusIn(Path clusterDirectory, List<String> readyStatuses) {
    Path pidFile = clusterDirectory.resolve(POSTMASTER_PID);
    return process -> {
      List<String> lines;
      try {
        lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        return false;
      }
      if (lines.size() < PID_FILE_STATUS_LINE
          || !lines.get(0).trim().equals(String.valueOf(process.pid()))) {
        return false;
      }
      return readyStatuses.contains(lines.get(PID_FILE_STATUS_LINE - 1).trim());
    };
  }

  /**
   * Makes the superuser's password {@code POSTGRES_PASSWORD}: unchanged passwords are left alone, a
   * new one is hashed by the driver so the plain text never reaches the server, and statement
   * logging is off for the session.
   */
  public void applyPassword(Duration timeout) {
    settings
        .superuser()
        .password()
        .ifPresent(
            password ->
                applyRolePassword(
                    settings.superuser().name(), password, "POSTGRES_PASSWORD", timeout));
  }

  /**
   * Makes {@code role}'s password {@code password} as {@link #applyPassword} does for the
   * superuser; {@code variable} names where it comes from in a failure.
   */
  public void applyRolePassword(String role, Secret password, String variable, Duration timeout) {
    try (Connection connection = openAsSuperuser(settings.superuser().database(), timeout)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET log_statement = 'none'");
        statement.execute("SET log_min_duration_statement = -1");
        statement.execute("SET log_min_error_statement = 'panic'");
        statement.execute("SET statement_timeout = " + timeout.toMillis());
      }
      String stored;
      try (PreparedStatement query =
          connection.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
        query.setString(1, role);
        try (ResultSet rows = query.executeQuery()) {
          stored = rows.next() ? rows.getString(1) : null;
        }
      }
      if (PasswordVerifier.matches(stored, role, password.reveal())) {
        LOG.info("the password of {} is already the one given", role);
        return;
      }
      String encryption =
          settings.externalAccess().method() == Settings.AuthMethod.MD5 ? "md5" : "scram-sha-256";
      connection
          .unwrap(PGConnection.class)
          .alterUserPassword(role, password.reveal().toCharArray(), encryption);
      LOG.info("set the password of {} ({})", role, encryption);
    } catch (SQLException e) {
      throw new PgcontainerException(
          "could not apply "
              + variable
              + " to role "
              + role
              + " within "
              + Durations.human(timeout)
              + " (TIMEOUT_CHANGE_PASSWORD): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Creates the database of {@code POSTGRES_DB} unless it exists: for clusters the launcher did not
   * initialise itself (Patroni's bootstrap makes only the cluster), and for a {@code POSTGRES_DB}
   * changed after the first start.
   *
   * @throws PgcontainerException also when the cluster has no role {@code POSTGRES_USER}, saying
   *     what to do
   */
  public void createDatabaseIfMissing(Duration timeout) {
    String database = settings.superuser().database();
    try (Connection connection = openAsSuperuser("postgres", timeout);
        PreparedStatement query =
            connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      query.setString(1, database);
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE DATABASE "
                + quoteIdentifier(database)
                + " OWNER "
                + quoteIdentifier(settings.superuser().name()));
      }
      LOG.info("created database {} (POSTGRES_DB)", database);
    } catch (SQLException e) {
      throw new PgcontainerException(
          "could not create database "
              + database
              + " (POSTGRES_DB) within "
              + Durations.human(timeout)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The launcher's connection as {@code POSTGRES_USER}. That role is made by initdb at the first
   * start only, so a {@code POSTGRES_USER} changed later names a role the cluster may not have:
   * that gets a message saying what to do.
   */
  private Connection openAsSuperuser(String database, Duration timeout) throws SQLException {
    try {
      return LocalConnections.forSettings(settings).open(database, timeout);
    } catch (SQLException e) {
      String role = settings.superuser().name();
      if (INVALID_AUTHORIZATION.equals(e.getSQLState())
          && String.valueOf(e.getMessage()).contains("role \"" + role + "\" does not exist")) {
        throw new PgcontainerException(
            "POSTGRES_USER="
                + role
                + ", but the cluster in PGDATA "
                + dataDirectory.path()
                + " has no role "
                + role
                + ": initdb made the superuser at the first start, under the POSTGRES_USER of"
                + " that start, and a later POSTGRES_USER does not rename it. Set POSTGRES_USER back to that name, or"
                + " create the role first (as that superuser: CREATE ROLE "
                + quoteIdentifier(role)
                + " SUPERUSER LOGIN)",
            e);
      }
      throw e;
    }
  }

  /** SIGHUP: re-render the files and let the server reload them. */
  public void reload(ManagedProcess server) {
    writeConfiguration();
    server.signal(PosixSignal.HUP);
  }

  /**
   * A child of this instance: the launcher's whitelisted environment, next to PGDATA, as the
   * server's OS user.
   */
  public ProcessSpec.Builder spec(String name, List<String> command) {
    ProcessSpec.Builder builder =
        ProcessSpec.builder()
            .name(name)
            .command(command)
            .environment(childEnvironment)
            .workingDirectory(dataDirectory.path().getParent());
    runAs.ifPresent(user -> builder.runAs(user.name()));
    return builder;
  }

  /** The directory of the server's binaries, which init scripts find first on their PATH. */
  Path binDir() {
    return installation.binDir();
  }

  /** The PATH children inherit, empty when the launcher has none. */
  String childPath() {
    return childEnvironment.getOrDefault("PATH", "");
  }

  static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}

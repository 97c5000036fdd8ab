package dev.pgcontainer.backup;

import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.ServerSetup;
import dev.pgcontainer.supervision.OsUser;
import dev.pgcontainer.supervision.ProcessSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pgBackRest commands the launcher runs, with {@code --config} naming the launcher's file, as
 * the server's OS user (pgBackRest refuses root's connection and would leave root-owned files) and
 * with the launcher's whitelisted environment; output goes to the logger {@code pgbackrest}.
 * Metadata commands get twice {@code TIMEOUT}, as {@code check} alone may wait {@code TIMEOUT} for
 * a WAL segment; backups and restores get {@link #LONG_COMMAND_LIMIT}.
 */
final class PgBackRest {

  /**
   * A backup or restore that takes longer is taken to be stuck (the largest clusters take hours,
   * not days).
   */
  static final Duration LONG_COMMAND_LIMIT = Duration.ofHours(24);

  /** The name of the program and of the logger its output goes to. */
  static final String NAME = "pgbackrest";

  /**
   * How pgBackRest wants a recovery target time: PostgreSQL's own input format, with the offset
   * kept.
   */
  private static final DateTimeFormatter TARGET_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

  /**
   * Runs a command to completion: {@code Commands::run}, or a supervisor's {@code run} so a stop
   * signal ends it.
   */
  @FunctionalInterface
  public interface CommandRunner {
    /**
     * Returns the command's stdout lines; fails when it exits non-zero or overruns {@code timeout}.
     */
    List<String> run(ProcessSpec spec, Duration timeout) throws InterruptedException;
  }

  private final Path program;
  private final Path configFile;
  private final String stanza;
  private final Map<String, String> environment;
  private final Optional<String> runAs;
  private final Optional<Path> workingDirectory;
  private final Duration metadataTimeout;

  private PgBackRest(
      Settings settings, Path program, Map<String, String> environment, Optional<String> runAs) {
    this.program = program;
    this.configFile = ConfigLayout.of(settings).file(PgBackRestConfig.FILE);
    this.stanza = BackupSettings.of(settings).stanza();
    this.environment = environment;
    this.runAs = runAs;
    // next to PGDATA, like the server's other children
    this.workingDirectory = Optional.ofNullable(settings.directories().data().getParent());
    this.metadataTimeout = settings.timeout().multipliedBy(2);
  }

  /**
   * pgBackRest as found on the launcher's {@code PATH}, for the stanza of {@code settings}, run as
   * the server's OS user.
   *
   * @throws PgcontainerException when there is no pgbackrest program on {@code PATH}
   */
  public static PgBackRest of(ServerSetup setup) {
    Path program = locate(setup.environment().getOrDefault("PATH", ""));
    Optional<String> runAs = setup.switchTo().map(OsUser::name);
    return new PgBackRest(
        setup.settings(), program, ProcessSpec.inheritableEnvironment(setup.environment()), runAs);
  }

  /** Creates the stanza in the repository; succeeds when it already exists for this cluster. */
  public void stanzaCreate(CommandRunner runner) throws InterruptedException {
    runner.run(spec("stanza-create"), metadataTimeout);
  }

  /** Moves the stanza to the cluster's new major version (after pg_upgrade). */
  public void stanzaUpgrade(CommandRunner runner) throws InterruptedException {
    runner.run(spec("stanza-upgrade"), metadataTimeout);
  }

  /**
   * Checks the stanza, the server's archiving configuration and that a WAL segment reaches the
   * repository.
   */
  public void check(CommandRunner runner) throws InterruptedException {
    runner.run(spec("check"), metadataTimeout);
  }

  /**
   * A backup of the running server; old sets beyond the retention are expired afterwards. Returns
   * pgBackRest's progress lines (its console at level info), which name the new set and its size.
   */
  public List<String> backup(CommandRunner runner, BackupType type) throws InterruptedException {
    return runner.run(
        spec("backup", "--type=" + type.keyword(), "--log-level-console=info"), LONG_COMMAND_LIMIT);
  }

  /** What the repository holds for the stanza. */
  public BackupInfo info(CommandRunner runner) throws InterruptedException {
    List<String> output = runner.run(spec("info", "--output=json"), metadataTimeout);
    try {
      return BackupInfo.parse(String.join("\n", output), stanza);
    } catch (IllegalArgumentException e) {
      throw new PgcontainerException(e.getMessage() + "; is " + program + " pgBackRest 2.x?", e);
    }
  }

  /**
   * Restores backup {@code set} into {@code clusterDirectory} (which must be missing or empty),
   * with recovery settings that replay WAL from the repository until {@code target} (or the end of
   * the archive), then promote. Archiving is turned off in the restored cluster ({@code
   * archive_mode=off} in postgresql.auto.conf): a restored cluster must not push a new timeline
   * into the repository it came from (see {@link RestoreFromRepository}).
   */
  public void restore(
      CommandRunner runner, Path clusterDirectory, String set, Optional<OffsetDateTime> target)
      throws InterruptedException {
    List<String> options =
        new ArrayList<>(
            List.of("--pg1-path=" + clusterDirectory, "--set=" + set, "--archive-mode=off"));
    target.ifPresent(
        time ->
            options.addAll(
                List.of(
                    "--type=time",
                    "--target=" + TARGET_TIME.format(time),
                    "--target-action=promote")));
    runner.run(spec("restore", options.toArray(String[]::new)), LONG_COMMAND_LIMIT);
  }

  private ProcessSpec spec(String command, String... options) {
    List<String> argv =
        new ArrayList<>(
            List.of(program.toString(), "--config=" + configFile, "--stanza=" + stanza, command));
    argv.addAll(Arrays.asList(options));
    ProcessSpec.Builder builder =
        ProcessSpec.builder().name(NAME).command(argv).environment(environment);
    runAs.ifPresent(builder::runAs);
    workingDirectory.ifPresent(builder::workingDirectory);
    return builder.build();
  }

  private static Path locate(String path) {
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(directory -> !directory.isEmpty())
        .map(directory -> Path.of(directory, NAME))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new PgcontainerException(
                    "BACKUP_ENABLED=true, but there is no pgbackrest program on PATH ("
                        + path
                        + "): install pgBackRest in the image (apt-get install pgbackrest), or set BACKUP_ENABLED=false"));
  }
}
